package kube

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/streaming/pkg/httpstream"
)

// errorStreamWait bounds how long a Read that hit the end of the data stream waits for the pod side's
// error report, which tells "the pod refused" apart from "the pod closed the connection".
const errorStreamWait = time.Second

// streamConn is one forwarded connection: the data stream and the error stream of one request ID on a
// port-forward connection, as a net.Conn.
type streamConn struct {
	conn      httpstream.Connection
	data      httpstream.Stream
	errStream httpstream.Stream
	remote    podAddr
	errc      chan error // the pod side's error report, once; nil error when it had none
	failed    func(error)

	closeOnce sync.Once
	timerMu   sync.Mutex
	timer     *time.Timer
}

// openStreams creates the error and data streams of request id to pod's port on conn. failed is told
// of an error report from the pod side (the pod is gone, or nothing listens on the port). wg tracks the
// goroutine reading the error stream, which ends when the pod side or the connection closes it.
func openStreams(conn httpstream.Connection, pod Pod, id int, wg *sync.WaitGroup, failed func(error)) (*streamConn, error) {
	headers := http.Header{}
	headers.Set(corev1.StreamType, corev1.StreamTypeError)
	headers.Set(corev1.PortHeader, strconv.Itoa(pod.Port))
	headers.Set(corev1.PortForwardRequestIDHeader, strconv.Itoa(id))
	errStream, err := conn.CreateStream(headers)
	if err != nil {
		return nil, fmt.Errorf("open error stream to pod %s: %w", pod.Name, err)
	}
	// The client never writes on the error stream: half-close it now.
	_ = errStream.Close()
	headers.Set(corev1.StreamType, corev1.StreamTypeData)
	data, err := conn.CreateStream(headers)
	if err != nil {
		conn.RemoveStreams(errStream)
		return nil, fmt.Errorf("open data stream to pod %s: %w", pod.Name, err)
	}
	c := &streamConn{conn: conn, data: data, errStream: errStream, remote: podAddr(pod), errc: make(chan error, 1), failed: failed}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.readErrorStream()
	}()
	return c, nil
}

// readErrorStream ends when the pod side closes the error stream or the connection closes.
func (c *streamConn) readErrorStream() {
	msg, err := io.ReadAll(c.errStream)
	switch {
	case err != nil:
		err = fmt.Errorf("read port-forward error stream: %w", err)
	case len(msg) > 0:
		err = fmt.Errorf("pod %s port %d: %s", c.remote.Name, c.remote.Port, msg)
	}
	if err != nil && c.failed != nil {
		c.failed(err)
	}
	c.errc <- err
}

// Read reads from the pod. At the end of the data stream it reports the pod side's error, if any.
func (c *streamConn) Read(p []byte) (int, error) {
	n, err := c.data.Read(p)
	if errors.Is(err, io.EOF) {
		select {
		case remoteErr := <-c.errc:
			c.errc <- remoteErr
			if remoteErr != nil {
				return n, remoteErr
			}
		case <-time.After(errorStreamWait):
		}
	}
	return n, err
}

// Write writes to the pod.
func (c *streamConn) Write(p []byte) (int, error) { return c.data.Write(p) }

// CloseWrite tells the pod that no more data comes, keeping the read side open.
func (c *streamConn) CloseWrite() error { return c.data.Close() }

// Close ends both directions and forgets the streams. The error stream is reset too, not just
// forgotten: a pod side that keeps it open would otherwise keep the error stream's reader waiting, and
// closing the port-forward connection would wait for it until the stream library gives up.
func (c *streamConn) Close() error {
	c.closeOnce.Do(func() {
		c.stopTimer()
		_ = c.data.Reset()
		_ = c.errStream.Reset()
		c.conn.RemoveStreams(c.data, c.errStream)
	})
	return nil
}

func (c *streamConn) LocalAddr() net.Addr  { return podAddr{Name: "local"} }
func (c *streamConn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline closes the connection when t passes: streams have no per-call deadlines, and a caller
// that sets one (a TLS handshake, an HTTP client) wants the call to end rather than hang.
func (c *streamConn) SetDeadline(t time.Time) error {
	c.stopTimer()
	if t.IsZero() {
		return nil
	}
	c.timerMu.Lock()
	c.timer = time.AfterFunc(time.Until(t), func() { _ = c.Close() })
	c.timerMu.Unlock()
	return nil
}

func (c *streamConn) SetReadDeadline(t time.Time) error  { return c.SetDeadline(t) }
func (c *streamConn) SetWriteDeadline(t time.Time) error { return c.SetDeadline(t) }

func (c *streamConn) stopTimer() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// podAddr names the far end of a forwarded connection.
type podAddr Pod

func (a podAddr) Network() string { return "portforward" }
func (a podAddr) String() string {
	if a.Namespace == "" {
		return a.Name
	}
	return fmt.Sprintf("%s/%s:%d", a.Namespace, a.Name, a.Port)
}
