package headlamp

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"time"
)

// logEntry writes one entry the way Headlamp's logger (zerolog, JSON on stderr) does: level, the
// entry's fields, time, message. The real entries also carry the source file and line, which depend
// on the build and are left out.
func logEntry(w io.Writer, level string, fields [][2]string, msg string) {
	if w == nil {
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"level":`)
	writeJSON(&b, level)
	for _, f := range fields {
		b.WriteByte(',')
		writeJSON(&b, f[0])
		b.WriteByte(':')
		writeJSON(&b, f[1])
	}
	b.WriteString(`,"time":`)
	writeJSON(&b, time.Now().UTC().Format(time.RFC3339))
	b.WriteString(`,"message":`)
	writeJSON(&b, msg)
	b.WriteString("}\n")
	_, _ = w.Write(b.Bytes())
}

func writeJSON(b *bytes.Buffer, s string) {
	data, _ := json.Marshal(s)
	b.Write(data)
}

// stdLogger is Go's standard logger on the container's output: net/http/httputil's reverse proxy
// reports its errors there ("http: proxy error: ...") when Headlamp sets no logger of its own.
func stdLogger(w io.Writer) *log.Logger {
	if w == nil {
		w = io.Discard
	}
	return log.New(w, "", log.LstdFlags)
}
