package kube

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
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
	// HoldErrorStream keeps the pod's side of each error stream open after serving, until the client
	// resets it or the connection closes, as a pod side may.
	HoldErrorStream bool

	mu        sync.Mutex
	conns     map[string][]*memoryConn
	dials     []string
	lingering atomic.Int64
}

// Dial returns a new in-memory connection to pod, or Refuse.
func (d *MemoryDialer) Dial(_ context.Context, pod Pod) (httpstream.Connection, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials = append(d.dials, pod.Name)
	if d.Refuse != nil {
		return nil, d.Refuse
	}
	c := &memoryConn{d: d, pod: pod, closed: make(chan bool), errs: map[string]*memoryErr{}}
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

// Lingering counts the error streams that were still open on both sides when their connection
// closed. Closing a real port-forward connection waits for such streams until the stream library's
// close timeout, so a client that forgets to reset them makes every close slow.
func (d *MemoryDialer) Lingering() int { return int(d.lingering.Load()) }

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
	d         *MemoryDialer
	pod       Pod
	mu        sync.Mutex
	closed    chan bool
	closeOnce sync.Once
	closers   []io.Closer
	errs      map[string]*memoryErr // by request ID
	wg        sync.WaitGroup
}

// memoryErr is the pod's side of one error stream.
type memoryErr struct {
	w         *io.PipeWriter
	reset     chan struct{} // closed when the client resets the stream
	resetOnce sync.Once
	podClosed bool // guarded by memoryConn.mu
}

func (e *memoryErr) wasReset() bool {
	select {
	case <-e.reset:
		return true
	default:
		return false
	}
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
		e := &memoryErr{w: w, reset: make(chan struct{})}
		c.errs[id] = e
		c.closers = append(c.closers, r, w)
		return &memoryStream{r: r, h: h, errSide: e}, nil
	}
	toPod, fromClient := io.Pipe()
	fromPod, toClient := io.Pipe()
	c.closers = append(c.closers, toPod, fromClient, fromPod, toClient)
	e := c.errs[id]
	podSide := &pipeConn{r: toPod, w: toClient, addr: podAddr(c.pod)}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.serve(podSide, e)
	}()
	return &memoryStream{r: fromPod, w: fromClient, h: h}, nil
}

// serve plays the pod on one forwarded connection, then closes the pod's side of its streams, which
// ends them for the client. Closing a pipe never fails, so there is no error to keep.
func (c *memoryConn) serve(podSide *pipeConn, e *memoryErr) {
	if c.d.Report != "" || c.d.Serve == nil {
		_, _ = e.w.Write([]byte(c.d.Report))
	} else {
		c.d.Serve(c.pod, podSide)
	}
	if c.d.HoldErrorStream {
		_ = podSide.Close()
		select {
		case <-e.reset:
		case <-c.closed:
		}
	}
	c.mu.Lock()
	e.podClosed = true
	c.mu.Unlock()
	_ = e.w.Close()
	_ = podSide.Close()
}

func (c *memoryConn) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		for _, e := range c.errs {
			if !e.podClosed && !e.wasReset() {
				c.d.lingering.Add(1)
			}
		}
		close(c.closed)
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

// memoryStream is the client's end of a stream; Close half-closes it and Reset ends it, as with a SPDY
// stream, whose reads report EOF once it is reset.
type memoryStream struct {
	r       *io.PipeReader
	w       *io.PipeWriter // nil for the error stream
	h       http.Header
	errSide *memoryErr // the pod's side, for the error stream
	reset   atomic.Bool
}

func (s *memoryStream) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && s.reset.Load() {
		err = io.EOF
	}
	return n, err
}

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
	s.reset.Store(true)
	if s.errSide != nil {
		s.errSide.resetOnce.Do(func() { close(s.errSide.reset) })
	}
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
