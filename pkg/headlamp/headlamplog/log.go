package headlamplog

import "time"

// Log is what doctor learned from the lines it read of one Headlamp pod's log.
type Log struct {
	Pod string
	// Lines is how many lines were read; the reader keeps only the most recent.
	Lines int
	// Proxies are the "Proxy setup" entries: the API URL Headlamp really uses, per context.
	Proxies []ProxySetup
	// Failures are the known error lines at or after Since, oldest first.
	Failures []Failure
	// Since is the start of the window failures are taken from.
	Since time.Time
}

// ProxySetup is the API URL Headlamp set its proxy up with for a context.
type ProxySetup struct {
	Context, ClusterURL string
}

// Failure is one known error line.
type Failure struct {
	Kind  Kind
	Entry Entry
}

// Summarize turns the entries of pod's log into a Log: every proxy setup, and the known failures logged
// at or after since (a line that does not say when is taken as recent).
func Summarize(pod string, entries []Entry, since time.Time) Log {
	l := Log{Pod: pod, Lines: len(entries), Since: since}
	for _, e := range entries {
		if e.Message == MessageProxySetup && e.Fields["clusterURL"] != "" {
			l.Proxies = append(l.Proxies, ProxySetup{Context: e.Fields["context"], ClusterURL: e.Fields["clusterURL"]})
			continue
		}
		if k, ok := Classify(e); ok && (e.Time.IsZero() || !e.Time.Before(since)) {
			l.Failures = append(l.Failures, Failure{Kind: k, Entry: e})
		}
	}
	return l
}

// ProxyURL is the URL the last "Proxy setup" for context names.
func (l Log) ProxyURL(context string) (string, bool) {
	for i := len(l.Proxies) - 1; i >= 0; i-- {
		if l.Proxies[i].Context == context {
			return l.Proxies[i].ClusterURL, true
		}
	}
	return "", false
}

// Last is the most recent failure of one of kinds.
func (l Log) Last(kinds ...Kind) (Failure, bool) {
	for i := len(l.Failures) - 1; i >= 0; i-- {
		for _, k := range kinds {
			if l.Failures[i].Kind == k {
				return l.Failures[i], true
			}
		}
	}
	return Failure{}, false
}
