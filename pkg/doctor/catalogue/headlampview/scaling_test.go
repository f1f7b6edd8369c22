package headlampview

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestStrategyOf: the surge a rollout allows, with the API server's defaults.
func TestStrategyOf(t *testing.T) {
	pct := func(s string) *intstr.IntOrString { v := intstr.FromString(s); return &v }
	num := func(n int) *intstr.IntOrString { v := intstr.FromInt(n); return &v }
	rolling := func(surge *intstr.IntOrString) appsv1.DeploymentStrategy {
		return appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: surge}}
	}
	for name, tc := range map[string]struct {
		s     appsv1.DeploymentStrategy
		surge int
		as    string
	}{
		"recreate":        {appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}, 0, ""},
		"unset":           {appsv1.DeploymentStrategy{}, 1, "25%"},
		"maxSurge 0":      {rolling(num(0)), 0, "0"},
		"maxSurge 0%":     {rolling(pct("0%")), 0, "0%"},
		"maxSurge 1%":     {rolling(pct("1%")), 1, "1%"}, // rounded up
		"maxSurge 2":      {rolling(num(2)), 2, "2"},
		"rolling, no cap": {rolling(nil), 1, "25%"},
	} {
		dep := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Strategy: tc.s}}
		if got := strategyOf(dep, 1); got.Surge != tc.surge || got.MaxSurge != tc.as {
			t.Errorf("%s: %+v, want surge %d as %q", name, got, tc.surge, tc.as)
		}
	}
}
