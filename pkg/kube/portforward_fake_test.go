package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/httpstream"
)

// fakeDialer stands for the API server and the kubelet: every Dial returns a fakeConn whose data
// streams are served by the named pod's handler, which answers each line with "<pod>:<line>".
type fakeDialer struct {
	t        *testing.T
	mu       sync.Mutex
	conns    map[string]*fakeConn
	dials    []string
	refuse   error  // returned by Dial when set
	errorMsg string // reported on the error stream of every forwarded connection when set
}

func newFakeDialer(t *testing.T) *fakeDialer {
	return &fakeDialer{t: t, conns: map[string]*fakeConn{}}
}

func (d *fakeDialer) Dial(_ context.Context, pod Pod) (httpstream.Connection, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials = append(d.dials, pod.Name)
	if d.refuse != nil {
		return nil, d.refuse
	}
	c := &fakeConn{t: d.t, pod: pod.Name, closed: make(chan bool), errorMsg: d.errorMsg}
	d.conns[pod.Name] = c
	return c, nil
}

func (d *fakeDialer) conn(pod string) *fakeConn {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.conns[pod]
}

// fakeConn pairs the error and data stream of each request over loopback TCP to a goroutine that
// plays the pod.
type fakeConn struct {
	t         *testing.T
	pod       string
	errorMsg  string
	mu        sync.Mutex
	closed    chan bool
	closeOnce sync.Once
	closers   []io.Closer
	errWriter map[string]*io.PipeWriter // by request ID
	wg        sync.WaitGroup
}

func (c *fakeConn) CreateStream(h http.Header) (httpstream.Stream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closed:
		return nil, errors.New("connection closed")
	default:
	}
	if h.Get(corev1.StreamType) == corev1.StreamTypeError {
		r, w := io.Pipe()
		if c.errWriter == nil {
			c.errWriter = map[string]*io.PipeWriter{}
		}
		c.errWriter[h.Get(corev1.PortForwardRequestIDHeader)] = w
		c.closers = append(c.closers, r, w)
		return &fakeStream{Reader: r, h: h}, nil
	}
	client, server := tcpPair(c.t)
	c.closers = append(c.closers, client, server)
	errWriter := c.errWriter[h.Get(corev1.PortForwardRequestIDHeader)]
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.servePod(server, errWriter)
	}()
	return &fakeStream{Reader: client, tcp: client, h: h}, nil
}

func (c *fakeConn) servePod(server *net.TCPConn, errWriter *io.PipeWriter) {
	defer server.Close()
	if c.errorMsg != "" {
		_, _ = errWriter.Write([]byte(c.errorMsg))
		_ = errWriter.Close()
		return
	}
	defer errWriter.Close()
	buf := make([]byte, 256)
	for {
		n, err := server.Read(buf)
		if err != nil {
			return
		}
		if _, err := fmt.Fprintf(server, "%s:%s", c.pod, buf[:n]); err != nil {
			return
		}
	}
}

func (c *fakeConn) Close() error {
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

func (c *fakeConn) CloseChan() <-chan bool             { return c.closed }
func (c *fakeConn) SetIdleTimeout(time.Duration)       {}
func (c *fakeConn) RemoveStreams(...httpstream.Stream) {}

type fakeStream struct {
	io.Reader
	tcp *net.TCPConn
	h   http.Header
}

func (s *fakeStream) Write(p []byte) (int, error) {
	if s.tcp == nil {
		return 0, errors.New("error stream is read-only")
	}
	return s.tcp.Write(p)
}

// Close half-closes, as a SPDY stream does.
func (s *fakeStream) Close() error {
	if s.tcp == nil {
		return nil
	}
	return s.tcp.CloseWrite()
}

func (s *fakeStream) Reset() error {
	if s.tcp == nil {
		return nil
	}
	return s.tcp.Close()
}

func (s *fakeStream) Headers() http.Header { return s.h }
func (s *fakeStream) Identifier() uint32   { return 0 }

// tcpPair returns both ends of a fresh loopback TCP connection.
func tcpPair(t *testing.T) (*net.TCPConn, *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return client.(*net.TCPConn), server.(*net.TCPConn)
}
