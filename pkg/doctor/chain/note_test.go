package chain

import (
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

func TestOriginShortSaysWhyACheckDidNotRun(t *testing.T) {
	for _, tt := range []struct {
		origin engine.SkipOrigin
		want   string
	}{
		{engine.SkipOrigin{Root: "PROXY-ENDPOINTS", Status: engine.StatusFail}, "PROXY-ENDPOINTS failed"},
		{engine.SkipOrigin{Root: "AUTHN-METRICS", Status: engine.StatusUnknown}, "AUTHN-METRICS could not be checked"},
		{engine.SkipOrigin{Root: "AUTHN-METRICS", Status: engine.StatusSkip, Cause: engine.SkippedByFlag}, "AUTHN-METRICS skipped with --skip"},
		{engine.SkipOrigin{Root: "AUTHN-APISERVER-FLAGS", Status: engine.StatusSkip, Cause: "no kube-apiserver pod"}, "AUTHN-APISERVER-FLAGS does not apply here"},
	} {
		if got := originShort(tt.origin); got != tt.want {
			t.Errorf("originShort(%+v) = %q, want %q", tt.origin, got, tt.want)
		}
	}
}
