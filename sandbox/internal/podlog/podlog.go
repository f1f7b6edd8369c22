// Package podlog writes a stand-in's log the way a container runtime stores a container's output (the
// CRI log format: "<RFC3339Nano time> <stream> F <line>"), so that KWOK serves it to `kubectl logs`
// like a kubelet serves a real container's log.
package podlog

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Writer appends each line written to it to a file in the CRI log format, on one stream (stdout or
// stderr). It is safe for concurrent use; a write ending without a newline is completed by one.
type Writer struct {
	mu     sync.Mutex
	f      *os.File
	stream string
	now    func() time.Time
}

// Open appends to the file at path (created 0600) as stream "stdout" or "stderr".
func Open(path, stream string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open pod log %s: %w", path, err)
	}
	return &Writer{f: f, stream: stream, now: time.Now}, nil
}

// Write records p, one log entry per line.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ts := w.now().UTC().Format(time.RFC3339Nano)
	var buf bytes.Buffer
	for line := range bytes.Lines(p) {
		fmt.Fprintf(&buf, "%s %s F %s", ts, w.stream, bytes.TrimSuffix(line, []byte("\n")))
		buf.WriteByte('\n')
	}
	if _, err := w.f.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close closes the file.
func (w *Writer) Close() error { return w.f.Close() }

// Lines strips the CRI prefix of every entry of a log file: what `kubectl logs` shows.
func Lines(r io.Reader) ([]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []string
	for line := range bytes.Lines(data) {
		fields := bytes.SplitN(bytes.TrimSuffix(line, []byte("\n")), []byte(" "), 4)
		if len(fields) == 4 {
			out = append(out, string(fields[3]))
		}
	}
	return out, nil
}
