package headlamp

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// oneProcess is why Headlamp must run as one pod: what a sign-in leaves behind stays in the memory
// of the process that handled it (headlamp #4019, #5401; reference/headlamp.md).
const oneProcess = "the sign-in state (a sign-in's OIDC state until its callback, then the session's refresh token) " +
	"lives in the memory of the one Headlamp process that handled it: a callback or a refresh reaching another pod " +
	"fails (400 at /oidc-callback, a session ending at its token's expiry)"

// processChecks make sure one Headlamp process serves every session: one replica, no autoscaler to add
// more, and rollouts that never run two pods at once.
func processChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDReplicas, Title: "Headlamp runs one replica", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint:    "kubectl -n <namespace> scale deployment/<deployment> --replicas=1 (with the official chart: replicaCount=1)",
			Explain: "With several replicas " + oneProcess + ".",
			Run:     checkReplicas,
		},
		{
			ID: IDHPA, Title: "No HorizontalPodAutoscaler scales Headlamp", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name(), headlampview.FactHPAs.Name()},
			Hint:    "kubectl -n <namespace> delete horizontalpodautoscaler <hpa>, and keep the Deployment at one replica",
			Explain: "An autoscaler adds pods under load, and " + oneProcess + ".",
			Run:     checkHPA,
		},
		{
			ID: IDStrategy, Title: "Headlamp's rollouts never run two pods at once", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint: "kubectl -n <namespace> patch deployment/<deployment> --type=merge " +
				`-p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`,
			Explain: "A RollingUpdate with maxSurge above 0 (the default is 25%, one pod) starts the new pod while the old one " +
				"still serves, and " + oneProcess + ". Recreate stops the old pod first.",
			Run: checkStrategy,
		},
	}
}

func checkReplicas(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if h.Replicas > 1 {
		return engine.Problem("%d replicas: %s", h.Replicas, oneProcess).With("replicas", h.Replicas).WithVar("deployment", h.Name)
	}
	return engine.Pass("%d replica", h.Replicas)
}

func checkHPA(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	hpas, err := headlampview.FactHPAs.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(hpas) == 0 {
		return engine.Pass("none targets deployment/%s", h.Name)
	}
	hpa := hpas[0]
	lo := int32(1)
	if hpa.Spec.MinReplicas != nil {
		lo = *hpa.Spec.MinReplicas
	}
	r := engine.Problem("HorizontalPodAutoscaler %s scales deployment/%s to %d-%d replicas: %s", hpa.Name, h.Name, lo, hpa.Spec.MaxReplicas, oneProcess)
	if hpa.Spec.MaxReplicas <= 1 {
		r = engine.Warn("HorizontalPodAutoscaler %s targets deployment/%s but allows at most %d replica: remove it before someone raises its maximum", hpa.Name, h.Name, hpa.Spec.MaxReplicas)
	}
	names := make([]string, len(hpas))
	for i, x := range hpas {
		names[i] = x.Name
	}
	return r.With("horizontalpodautoscalers", names).WithVar("hpa", hpa.Name)
}

func checkStrategy(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	s := h.Strategy
	if s.Type == appsv1.RecreateDeploymentStrategyType {
		return engine.Pass("Recreate: the old pod stops before the new one starts")
	}
	r := engine.Pass("RollingUpdate with maxSurge %s: no pod above the replicas", s.MaxSurge)
	if s.Surge > 0 {
		r = engine.Problem("RollingUpdate with maxSurge %s runs %s during each rollout: %s", s.MaxSurge, pods(int(h.Replicas)+s.Surge), oneProcess)
	}
	return r.With("strategy", string(s.Type)).With("maxSurge", s.MaxSurge).WithVar("deployment", h.Name)
}

func pods(n int) string {
	if n == 1 {
		return "1 pod"
	}
	return fmt.Sprintf("%d pods at once", n)
}
