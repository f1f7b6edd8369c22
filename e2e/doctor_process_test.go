package e2e

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorOneProcess: Headlamp keeps each sign-in in one process, so doctor fails every way a second
// Headlamp pod comes to be, each with its own check and fix, and the installed Headlamp raises none.
func TestDoctorOneProcess(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectExit(t, run, 0)
		expectHealthy(t, rep, tokenSkip)
	})
	t.Run("replicas 2", func(t *testing.T) {
		scaleDeployment(t, stack.CapsuleNamespace, "headlamp", 2)
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		o := expectOnly(t, rep, "HEADLAMP-REPLICAS", "fail", nil, "2 replicas", "sign-in state")
		mustContain(t, "hint", o.Hint, "scale deployment/headlamp --replicas=1")
		expectExit(t, run, 1)
	})
	t.Run("an autoscaler", func(t *testing.T) {
		restore, err := sb.CreateHPA(t.Context(), stack.CapsuleNamespace, "headlamp", 1, 3)
		t.Cleanup(func() {
			ctx, cancel := cleanupCtx()
			defer cancel()
			if err := restore(ctx); err != nil {
				t.Error(err)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		o := expectOnly(t, rep, "HEADLAMP-HPA", "fail", nil, "1-3 replicas", "sign-in state")
		mustContain(t, "hint", o.Hint, "delete horizontalpodautoscaler headlamp")
	})
	t.Run("a rolling update", func(t *testing.T) {
		changeDeployment(t, stack.CapsuleNamespace, "headlamp", func(d *appsv1.Deployment) {
			d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType} // maxSurge defaults to 25%
		})
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		o := expectOnly(t, rep, "HEADLAMP-STRATEGY", "fail", nil, "maxSurge 25%", "2 pods at once")
		mustContain(t, "hint", o.Hint, `"type":"Recreate"`)
	})
}
