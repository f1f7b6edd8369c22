package kube

import (
	"errors"
	"io"
	"testing"

	"go.uber.org/goleak"
)

// exchange writes line to conn and reads the echo pod's answer back.
func exchange(t *testing.T, conn io.ReadWriter, pod, line string) {
	t.Helper()
	if _, err := io.WriteString(conn, line); err != nil {
		t.Fatal(err)
	}
	want := pod + ":" + line
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != want {
		t.Fatalf("read %q, %v; want %q", buf, err, want)
	}
}

func TestClosingAPodConnectionEndsItsErrorStream(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d := echoDialer()
	d.HoldErrorStream = true
	conn, err := DialPodPort(t.Context(), ForwardOptions{Pods: FixedPod{Namespace: testNS, Name: "proxy", Port: 9001}, Dialer: d})
	if err != nil {
		t.Fatal(err)
	}
	exchange(t, conn, "proxy", "hello")
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if n := d.Lingering(); n != 0 {
		t.Errorf("%d error stream(s) still open on both sides when the port-forward closed; "+
			"a real port-forward waits for them before it closes", n)
	}
}

func TestClosingOneConnectionKeepsTheForwarderLinked(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	d := echoDialer()
	d.HoldErrorStream = true
	f := NewForwarder(t.Context(), ForwardOptions{Pods: FixedPod{Namespace: testNS, Name: "a", Port: 4466}, Dialer: d})
	defer f.Close()
	for _, line := range []string{"one", "two"} {
		conn, err := f.dial(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		exchange(t, conn, "a", line)
		if err := conn.Close(); err != nil {
			t.Fatal(err)
		}
		// A read after Close waits for the error stream's verdict, so the next dial sees its effect.
		if _, err := conn.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
			t.Errorf("read after Close = %v, want EOF: the reset error stream reported no pod error", err)
		}
	}
	if dials := d.Dials(); len(dials) != 1 {
		t.Errorf("dials = %v, want one: resetting a closed connection's error stream is no pod failure", dials)
	}
}
