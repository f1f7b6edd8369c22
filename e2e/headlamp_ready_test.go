package e2e

import (
	"context"
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestHeadlampReadyStuckRollout: a rollout whose new ReplicaSet cannot create its pod, while the old
// pod still serves, is not "ready": HEADLAMP-READY fails by kubectl's rollout status, where any ready
// replica used to be enough.
func TestHeadlampReadyStuckRollout(t *testing.T) {
	ns := "e2e-stuck-rollout"
	newTestNamespace(t, ns, nil)
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	blockPods(t, ns)

	// A rolling update that keeps the old pod until the new one is available, and a template change.
	deps := sb.Kube().AppsV1().Deployments(ns)
	dep, err := deps.Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	zero, one := intstr.FromInt32(0), intstr.FromInt32(1)
	dep.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: &zero, MaxSurge: &one}}
	if dep.Spec.Template.Annotations == nil {
		dep.Spec.Template.Annotations = map[string]string{}
	}
	dep.Spec.Template.Annotations["e2e.capsule-headlamp/restarted"] = "stuck"
	if _, err := deps.Update(t.Context(), dep, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new ReplicaSet to be stuck while the old pod serves", func(ctx context.Context) error {
		d, err := deps.Get(ctx, "headlamp", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if st := d.Status; st.ObservedGeneration < d.Generation || st.UpdatedReplicas != 0 || st.AvailableReplicas != 1 {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})

	rep, run := doctorRun(t, nil, adminEnv(), "-n", ns, "--authentication-config", authConfigFile())
	expectExit(t, run, 1)
	o := rep.byID()["HEADLAMP-READY"]
	if o.Status != "fail" {
		t.Errorf("HEADLAMP-READY = %s %q, want fail while the old pod serves a stuck rollout", o.Status, o.Message)
	}
	mustContain(t, "HEADLAMP-READY", o.Message, "not rolled out (0/1 pods updated)", "the 1 available pod(s) may run the previous settings")
	mustContain(t, "HEADLAMP-READY hint", o.Hint, "rollout status deployment/headlamp")
}
