package stack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/transport/spdy"
)

// portForwardProtocol is the port-forward subprotocol over SPDY (client-go tools/portforward's V1).
const portForwardProtocol = "portforward.k8s.io"

// kwokServes asks KWOK itself, through the API server as kubectl would, whether it serves pod p's
// log and, for a Headlamp pod (port > 0), forwards that port to the pod's container. Putting the
// Logs and PortForward objects in place is not enough: a KWOK that has just restarted (settle
// restarts it after every API server restart) serves them only once its watch has listed them,
// and meanwhile answers "no forward found". A pod that passed is not asked again until KWOK
// restarts (forgetServed).
func (s *Stack) kwokServes(ctx context.Context, r *podRuntime, p *corev1.Pod, container string, port int) error {
	key := "served/" + string(p.UID)
	if r.done1(key) {
		return nil
	}
	if err := s.logServed(ctx, p, container); err != nil {
		return err
	}
	if port > 0 {
		if err := s.forwardServed(ctx, p, port); err != nil {
			return err
		}
	}
	r.markDone(key)
	return nil
}

// forgetServed makes kwokServes ask KWOK again: it has restarted.
func (s *Stack) forgetServed() {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.synced {
		if strings.HasPrefix(k, "served/") {
			delete(r.synced, k)
		}
	}
}

// logServed reads one byte of the container's log.
func (s *Stack) logServed(ctx context.Context, p *corev1.Pod, container string) error {
	one := int64(1)
	_, err := s.kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Container: container, LimitBytes: &one}).DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("pod %s: KWOK does not serve its log yet: %w", p.Name, err)
	}
	return nil
}

// forwardServed sends one HTTP request over a port-forward to the pod's port and wants an HTTP answer;
// without one, the error is what KWOK wrote on the forward's error stream.
func (s *Stack) forwardServed(ctx context.Context, p *corev1.Pod, port int) error {
	tr, upgrader, err := spdy.RoundTripperFor(s.admin)
	if err != nil {
		return err
	}
	u := s.kube.CoreV1().RESTClient().Post().Resource("pods").Namespace(p.Namespace).Name(p.Name).SubResource("portforward").URL()
	conn, _, err := spdy.NewDialer(upgrader, &http.Client{Transport: tr}, http.MethodPost, u).Dial(portForwardProtocol)
	if err != nil {
		return fmt.Errorf("pod %s: port-forward: %w", p.Name, err)
	}
	defer func() { _ = conn.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	h := http.Header{}
	h.Set(corev1.StreamType, corev1.StreamTypeError)
	h.Set(corev1.PortHeader, strconv.Itoa(port))
	h.Set(corev1.PortForwardRequestIDHeader, "0")
	errStream, err := conn.CreateStream(h)
	if err != nil {
		return fmt.Errorf("pod %s: port-forward: %w", p.Name, err)
	}
	_ = errStream.Close() // nothing to write on it; KWOK writes its error there
	h.Set(corev1.StreamType, corev1.StreamTypeData)
	data, err := conn.CreateStream(h)
	if err != nil {
		return fmt.Errorf("pod %s: port-forward: %w", p.Name, err)
	}
	_, _ = io.WriteString(data, "GET /healthz HTTP/1.0\r\nHost: sandbox\r\n\r\n")
	got, _ := io.ReadAll(io.LimitReader(data, 16))
	if bytes.HasPrefix(got, []byte("HTTP/")) {
		return nil
	}
	msg, _ := io.ReadAll(io.LimitReader(errStream, 1024))
	return fmt.Errorf("pod %s: KWOK does not forward port %d to its container yet: %s", p.Name, port, bytes.TrimSpace(msg))
}
