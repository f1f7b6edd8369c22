package login

import (
	"errors"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

func TestStatusReportsPodChanges(t *testing.T) {
	pod := func(name string) kube.Pod { return kube.Pod{Namespace: ns, Name: name, Port: 4466} }
	tests := []struct {
		ev   kube.ForwardEvent
		want string
	}{
		{kube.ForwardEvent{Kind: kube.EventConnected, Pod: pod("a")}, ""},
		{kube.ForwardEvent{Kind: kube.EventLost, Pod: pod("a"), Err: errors.New("pod a was deleted or is no longer ready")},
			"warning: lost pod a (pod a was deleted or is no longer ready); looking for a ready Headlamp pod\n"},
		{kube.ForwardEvent{Kind: kube.EventWaiting, Err: kube.ErrNoReadyPod},
			"warning: still no ready Headlamp pod to forward to: no ready pod\n"},
		{kube.ForwardEvent{Kind: kube.EventConnected, Pod: pod("b"), Previous: "a"}, "Pod a replaced: now forwarding to pod b\n"},
		{kube.ForwardEvent{Kind: kube.EventConnected, Pod: pod("a"), Previous: "a"}, "Reconnected to pod a\n"},
		{kube.ForwardEvent{Kind: kube.EventForwardFailed, Err: errors.New("boom")}, "warning: could not forward a connection: boom\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		st := &status{w: &b, p: style.NewPalette(style.Never, func(string) string { return "" }, &b)}
		st.event(tt.ev)
		if b.String() != tt.want {
			t.Errorf("event %+v printed %q, want %q", tt.ev, b.String(), tt.want)
		}
	}
}
