// Package headlamplog reads Headlamp's own log: the lines its backend writes (zerolog JSON entries, and
// the standard logger's lines of its reverse proxy), parsed into what doctor judges. The line formats
// come from Headlamp's backend: logger.Log writes one JSON object per entry with "level", the entry's
// string fields, "error", "time" and "message"; kubeconfig.SetupProxy logs "Proxy setup" with "context"
// and "clusterURL"; net/http/httputil logs `http: proxy error: <error>` through Go's standard logger.
package headlamplog

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Entry is one line of Headlamp's log.
type Entry struct {
	// Time is when it was logged; zero when the line does not say.
	Time    time.Time
	Level   string
	Message string
	// Error is the entry's "error" field, or what follows `http: proxy error:`.
	Error  string
	Fields map[string]string
	// Text is the line as logged, for quoting.
	Text string
}

// stdTime is the prefix Go's standard logger (log.LstdFlags) writes.
const stdTime = "2006/01/02 15:04:05"

// proxyError is what net/http/httputil's ReverseProxy logs when the upstream cannot be reached or trusted.
const proxyError = "http: proxy error: "

// textProxySetup is the wording of Headlamp versions that logged the proxy setup as text.
var textProxySetup = regexp.MustCompile(`Proxy setup for context "?([^"\s]+)"? to cluster url (\S+)`)

// ParseLine reads one line; ok is false for a blank line.
func ParseLine(line string) (Entry, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return Entry{}, false
	}
	e := Entry{Text: line, Fields: map[string]string{}}
	if strings.HasPrefix(line, "{") && parseJSON(line, &e) {
		return e, true
	}
	parseText(line, &e)
	return e, true
}

// Parse reads a whole log, in order.
func Parse(log string) []Entry {
	var out []Entry
	for _, line := range strings.Split(log, "\n") {
		if e, ok := ParseLine(line); ok {
			out = append(out, e)
		}
	}
	return out
}

func parseJSON(line string, e *Entry) bool {
	var raw map[string]any
	if json.Unmarshal([]byte(line), &raw) != nil {
		return false
	}
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			continue
		}
		switch k {
		case "level":
			e.Level = s
		case "message":
			e.Message = s
		case "error":
			e.Error = s
		case "time":
			e.Time, _ = time.Parse(time.RFC3339, s)
		default:
			e.Fields[k] = s
		}
	}
	return true
}

func parseText(line string, e *Entry) {
	rest := line
	if len(line) > len(stdTime) {
		if t, err := time.Parse(stdTime, line[:len(stdTime)]); err == nil {
			e.Time, rest = t, strings.TrimSpace(line[len(stdTime):])
		}
	}
	e.Message = rest
	if _, after, ok := strings.Cut(rest, proxyError); ok {
		e.Message, e.Error = MessageProxyError, strings.TrimSpace(after)
	}
	if m := textProxySetup.FindStringSubmatch(rest); m != nil {
		e.Message = MessageProxySetup
		e.Fields["context"], e.Fields["clusterURL"] = m[1], m[2]
	}
}
