package kube

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/streaming/pkg/httpstream"
)

// MemoryDialer is a StreamDialer that reaches no cluster: every forwarded connection is handed to
// Serve, in memory, as the pod's side of the connection. Tests of code that port-forwards use it the
// way tests of HTTP clients use httptest.
type MemoryDialer struct {
	// Serve plays the pod; it runs in its own goroutine per forwarded connection and should return
	// once conn is closed or reads EOF.
	Serve func(pod Pod, conn net.Conn)
	// Refuse, when set, is what every Dial returns.
	Refuse error
	// Report, when set, is reported on the error stream of every forwarded connection instead of
	// serving it, as the kubelet does when nothing listens on the port in the pod.
	Report string

	mu    sync.Mutex
	conns map[string][]*memoryConn
	dials []string
}

// Dial returns a new in-memory connection to pod, or Refuse.
func (d *MemoryDialer) Dial(_ context.Context, pod Pod) (httpstream.Connection, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials = append(d.dials, pod.Name)
	if d.Refuse != nil {
		return nil, d.Refuse
	}
	c := &memoryConn{d: d, pod: pod, closed: make(chan bool), errWriters: map[string]*io.PipeWriter{}}
	if d.conns == nil {
		d.conns = map[string][]*memoryConn{}
	}
	d.conns[pod.Name] = append(d.conns[pod.Name], c)
	return c, nil
}

// Dials lists the pods dialed, in order.
func (d *MemoryDialer) Dials() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dials...)
}

// Drop closes every connection to the named pod, as when the API server or kubelet goes away.
func (d *MemoryDialer) Drop(pod string) {
	d.mu.Lock()
	conns := d.conns[pod]
	d.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// memoryConn is one port-forward connection: it pairs the error and data streams of each request ID.
type memoryConn struct {
	d          *MemoryDialer
	pod        Pod
	mu         sync.Mutex
	closed     chan bool
	closeOnce  sync.Once
	closers    []io.Closer
	errWriters map[string]*io.PipeWriter // by request ID
	wg         sync.WaitGroup
}

func (c *memoryConn) CreateStream(h http.Header) (httpstream.Stream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closed:
		return nil, errors.New("connection closed")
	default:
	}
	id := h.Get(corev1.PortForwardRequestIDHeader)
	if h.Get(corev1.StreamType) == corev1.StreamTypeError {
		r, w := io.Pipe()
		c.errWriters[id] = w
		c.closers = append(c.closers, r, w)
		return &memoryStream{r: r, h: h}, nil
	}
	toPod, fromClient := io.Pipe()
	fromPod, toClient := io.Pipe()
	c.closers = append(c.closers, toPod, fromClient, fromPod, toClient)
	errWriter := c.errWriters[id]
	podSide := &pipeConn{r: toPod, w: toClient, addr: podAddr(c.pod)}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.serve(podSide, errWriter)
	}()
	return &memoryStream{r: fromPod, w: fromClient, h: h}, nil
}

// serve plays the pod on one forwarded connection, then closes the pod's side of its streams, which
// ends them for the client. Closing a pipe never fails, so there is no error to keep.
func (c *memoryConn) serve(podSide *pipeConn, errWriter *io.PipeWriter) {
	if c.d.Report != "" || c.d.Serve == nil {
		_, _ = errWriter.Write([]byte(c.d.Report))
	} else {
		c.d.Serve(c.pod, podSide)
	}
	_ = errWriter.Close()
	_ = podSide.Close()
}

func (c *memoryConn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.mu.Lock()
		for _, cl := range c.closers {
			_ = cl.Close()
		}
		c.mu.Unlock()
	})
	c.wg.Wait()
	return nil
}

func (c *memoryConn) CloseChan() <-chan bool             { return c.closed }
func (c *memoryConn) SetIdleTimeout(time.Duration)       {}
func (c *memoryConn) RemoveStreams(...httpstream.Stream) {}

// memoryStream is the client's end of a stream; Close half-closes it, as a SPDY stream does.
type memoryStream struct {
	r *io.PipeReader
	w *io.PipeWriter // nil for the error stream
	h http.Header
}

func (s *memoryStream) Read(p []byte) (int, error) { return s.r.Read(p) }

func (s *memoryStream) Write(p []byte) (int, error) {
	if s.w == nil {
		return 0, errors.New("the error stream is read-only")
	}
	return s.w.Write(p)
}

func (s *memoryStream) Close() error {
	if s.w != nil {
		return s.w.Close()
	}
	return nil
}

func (s *memoryStream) Reset() error {
	_ = s.Close()
	return s.r.Close()
}

func (s *memoryStream) Headers() http.Header { return s.h }
func (s *memoryStream) Identifier() uint32   { return 0 }

// pipeConn is the pod's end of a forwarded connection. Deadlines are not supported (no-ops).
type pipeConn struct {
	r    *io.PipeReader
	w    *io.PipeWriter
	addr podAddr
}

func (p *pipeConn) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *pipeConn) Write(b []byte) (int, error) { return p.w.Write(b) }

// CloseWrite ends what the pod sends, keeping its read side open.
func (p *pipeConn) CloseWrite() error { return p.w.Close() }

func (p *pipeConn) Close() error {
	_ = p.w.Close()
	return p.r.Close()
}

func (p *pipeConn) LocalAddr() net.Addr              { return p.addr }
func (p *pipeConn) RemoteAddr() net.Addr             { return podAddr{Name: "client"} }
func (p *pipeConn) SetDeadline(time.Time) error      { return nil }
func (p *pipeConn) SetReadDeadline(time.Time) error  { return nil }
func (p *pipeConn) SetWriteDeadline(time.Time) error { return nil }
