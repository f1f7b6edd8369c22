package preinstall

import (
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// TestJudgeConcern: a concern not looked at does not apply, one without problems passes, and each
// problem's fix reaches the hint once.
func TestJudgeConcern(t *testing.T) {
	plan := install.Plan{Settings: headlamp.New("apps"), Facts: install.Facts{Findings: map[install.Concern][]install.Problem{
		install.ConcernNamespace: nil,
		install.ConcernQuota: {
			{What: "LimitRange a refuses Headlamp's pod", Hint: "change the resources"},
			{What: "LimitRange b refuses Headlamp's pod", Hint: "change the resources"},
		},
	}}}
	f := engine.NewFacts(time.Now(), map[engine.FactName]any{FactPlan.Name(): plan}, nil)
	for _, tc := range []struct {
		concern install.Concern
		status  engine.Status
		says    string
	}{
		{install.ConcernNamespace, engine.StatusPass, "namespace apps exists"},
		{install.ConcernGateway, engine.StatusSkip, "no --gateway"},
		{install.ConcernQuota, engine.StatusFail, "LimitRange a refuses Headlamp's pod; LimitRange b refuses"},
	} {
		r := judgeConcern(tc.concern)(t.Context(), f)
		if r.Status != tc.status || !strings.Contains(r.Message, tc.says) {
			t.Errorf("%s = %s %q, want %s saying %q", tc.concern, r.Status, r.Message, tc.status, tc.says)
		}
		if tc.status == engine.StatusFail && (r.Vars["fix"] != "change the resources" || r.Evidence.Get("problems") == nil) {
			t.Errorf("%s: fix %q, evidence %v", tc.concern, r.Vars["fix"], r.Evidence)
		}
	}
}
