package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"

	"go.uber.org/goleak"
)

// hangGuard only stops a broken test from hanging until go test's own timeout; no assertion is timed.
const hangGuard = 30 * time.Second

// forwarding is a Forwarder serving on a free local port, with the events it reported.
type forwarding struct {
	f      *Forwarder
	addr   string
	events chan ForwardEvent
	stop   func() error
}

func startForwarding(t *testing.T, src PodSource, d StreamDialer) *forwarding {
	t.Helper()
	fw := &forwarding{events: make(chan ForwardEvent, 32)}
	fw.f = NewForwarder(t.Context(), ForwardOptions{Pods: src, Dialer: d, Notify: func(e ForwardEvent) { fw.events <- e }})
	lns, err := ListenLocal(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	fw.addr = lns[0].Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- fw.f.Serve(ctx, lns...) }()
	fw.stop = func() error {
		cancel()
		err := <-served
		fw.f.Close()
		return err
	}
	return fw
}

// next returns the next event, failing the test when none comes.
func (fw *forwarding) next(t *testing.T) ForwardEvent {
	t.Helper()
	select {
	case e := <-fw.events:
		return e
	case <-time.After(hangGuard):
		t.Fatal("no event from the forwarder")
		return ForwardEvent{}
	}
}

// roundTrip sends line through the forward and returns the pod's whole answer.
func roundTrip(t *testing.T, addr, line string) (string, error) {
	t.Helper()
	var d net.Dialer
	c, err := d.DialContext(t.Context(), "tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(hangGuard))
	if _, err := io.WriteString(c, line); err != nil {
		return "", err
	}
	_ = c.(*net.TCPConn).CloseWrite()
	b, err := io.ReadAll(c)
	return string(b), err
}

func expectEvent(t *testing.T, got ForwardEvent, kind ForwardEventKind, pod, previous string) {
	t.Helper()
	if got.Kind != kind || got.Pod.Name != pod || got.Previous != previous {
		t.Fatalf("event = %+v, want kind %d pod %q previous %q", got, kind, pod, previous)
	}
}

// echoDialer plays pods that answer each read with "<pod>:<data>".
func echoDialer() *MemoryDialer {
	return &MemoryDialer{Serve: func(pod Pod, conn net.Conn) {
		buf := make([]byte, 256)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			if _, err := fmt.Fprintf(conn, "%s:%s", pod.Name, buf[:n]); err != nil {
				return
			}
		}
	}}
}

func TestForwarderMovesToTheNextReadyPodWhenItsPodIsDeleted(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cs := fake.NewClientset(testService(intstr.FromString("http")), testPod("a", 5, true), testPod("b", 1, true))
	watching := make(chan struct{})
	cs.PrependWatchReactor("pods", watchStarted(cs, watching))
	fw := startForwarding(t, ServicePods{Client: cs, Namespace: testNS, Service: "headlamp"}, echoDialer())

	if got, err := roundTrip(t, fw.addr, "hi"); err != nil || got != "a:hi" {
		t.Fatalf("first round trip = %q, %v; want a:hi from the oldest ready pod", got, err)
	}
	expectEvent(t, fw.next(t), EventConnected, "a", "")
	<-watching
	if err := cs.CoreV1().Pods(testNS).Delete(t.Context(), "a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	lost := fw.next(t)
	expectEvent(t, lost, EventLost, "a", "")
	if lost.Err == nil || !strings.Contains(lost.Err.Error(), "pod a was deleted") {
		t.Errorf("lost event error = %v, want it to say the pod was deleted", lost.Err)
	}
	expectEvent(t, fw.next(t), EventConnected, "b", "a")
	if got, err := roundTrip(t, fw.addr, "again"); err != nil || got != "b:again" {
		t.Fatalf("round trip after the loss = %q, %v; want b:again", got, err)
	}
	if err := fw.stop(); err != nil {
		t.Fatalf("Serve() = %v, want nil after its context ended", err)
	}
	var d net.Dialer
	if c, err := d.DialContext(t.Context(), "tcp4", fw.addr); err == nil {
		c.Close()
		t.Errorf("the local port still accepts connections after Serve returned")
	}
}

func TestForwarderReconnectsWhenTheConnectionCloses(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d := echoDialer()
	fw := startForwarding(t, FixedPod{Namespace: testNS, Name: "a", Port: 4466}, d)
	if _, err := fw.f.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, fw.next(t), EventConnected, "a", "")
	d.Drop("a")
	expectEvent(t, fw.next(t), EventLost, "a", "")
	expectEvent(t, fw.next(t), EventConnected, "a", "a")
	if got, err := roundTrip(t, fw.addr, "x"); err != nil || got != "a:x" {
		t.Fatalf("round trip after reconnecting = %q, %v", got, err)
	}
	if err := fw.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestForwarderReportsThePodSideError(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d := echoDialer()
	d.Report = "failed to connect to localhost:4466 inside namespace: connection refused"
	fw := startForwarding(t, FixedPod{Namespace: testNS, Name: "a", Port: 4466}, d)
	if got, _ := roundTrip(t, fw.addr, "x"); got != "" {
		t.Errorf("round trip = %q, want nothing from a pod that refused", got)
	}
	expectEvent(t, fw.next(t), EventConnected, "a", "")
	lost := fw.next(t)
	expectEvent(t, lost, EventLost, "a", "")
	if lost.Err == nil || !strings.Contains(lost.Err.Error(), "connection refused") {
		t.Errorf("lost event error = %v, want the pod side's report", lost.Err)
	}
	if err := fw.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestForwarderWaitsForANewReadyPod(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cs := fake.NewClientset(testService(intstr.FromString("http")), testPod("a", 5, true))
	watching := make(chan struct{})
	cs.PrependWatchReactor("pods", watchStarted(cs, watching))
	fw := startForwarding(t, ServicePods{Client: cs, Namespace: testNS, Service: "headlamp"}, echoDialer())
	if _, err := fw.f.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, fw.next(t), EventConnected, "a", "")
	<-watching
	if err := cs.CoreV1().Pods(testNS).Delete(t.Context(), "a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, fw.next(t), EventLost, "a", "")
	waiting := fw.next(t)
	if waiting.Kind != EventWaiting || !errors.Is(waiting.Err, ErrNoReadyPod) {
		t.Fatalf("event = %+v, want waiting for a ready pod", waiting)
	}
	if _, err := cs.CoreV1().Pods(testNS).Create(t.Context(), testPod("c", 0, true), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, fw.next(t), EventConnected, "c", "a")
	if err := fw.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestConnectErrors(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cs := fake.NewClientset(testService(intstr.FromString("http")), testPod("a", 1, false))
	f := NewForwarder(t.Context(), ForwardOptions{
		Pods: ServicePods{Client: cs, Namespace: testNS, Service: "headlamp"}, Dialer: echoDialer(),
	})
	defer f.Close()
	if _, err := f.Connect(t.Context()); !errors.Is(err, ErrNoReadyPod) {
		t.Errorf("Connect() = %v, want ErrNoReadyPod", err)
	}
	d := echoDialer()
	d.Refuse = errors.New("dial refused")
	g := NewForwarder(t.Context(), ForwardOptions{Pods: FixedPod{Name: "a"}, Dialer: d})
	if _, err := g.dial(t.Context()); err == nil || err.Error() != "dial refused" {
		t.Errorf("dial() = %v, want the dialer's error", err)
	}
	g.Close()
	if _, err := g.Connect(t.Context()); !errors.Is(err, ErrClosed) {
		t.Errorf("Connect() after Close = %v, want ErrClosed", err)
	}
}

func TestDialPodPort(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	conn, err := DialPodPort(t.Context(), ForwardOptions{Pods: FixedPod{Namespace: testNS, Name: "proxy", Port: 9001}, Dialer: echoDialer()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "hello"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("proxy:hello"))
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "proxy:hello" {
		t.Fatalf("read %q, %v; want proxy:hello", buf, err)
	}
	if got := conn.RemoteAddr().String(); got != "capsule-system/proxy:9001" {
		t.Errorf("RemoteAddr() = %q", got)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestListenLocalReportsABusyPort(t *testing.T) {
	var lc net.ListenConfig
	taken, err := lc.Listen(t.Context(), "tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	lns, err := ListenLocal(t.Context(), port)
	if !errors.Is(err, ErrPortInUse) {
		for _, ln := range lns {
			ln.Close()
		}
		t.Fatalf("ListenLocal(%d) = %v, want ErrPortInUse", port, err)
	}
}
