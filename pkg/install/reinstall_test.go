package install

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// The fake clientset keeps no resourceVersions, so "unchanged" is checked end to end; here: a second
// install creates nothing, and a rotated secret changes the pod template.
func TestReinstall(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), clients(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	hash := func() string {
		dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return dep.Spec.Template.Annotations[headlamp.AnnotationConfigHash]
	}
	first := hash()
	res, err := Install(t.Context(), clients(cs), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Applied {
		if a.Change == Created {
			t.Errorf("second install created %s", a.Object)
		}
	}
	if hash() != first {
		t.Error("the same input changed the pod template")
	}
	opts := testOptions()
	opts.ClientSecret = "rotated"
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	if hash() == first {
		t.Error("a rotated client secret leaves the pod template as it was: Headlamp would keep the old one")
	}
}

func TestTakeOverSwitchesToRecreate(t *testing.T) {
	helm := helmDeployment()
	helm.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{}}
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey), helm)
	opts := testOptions()
	opts.ForceConflicts = true
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if dep.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType || dep.Spec.Strategy.RollingUpdate != nil {
		t.Errorf("strategy after take-over: %+v", dep.Spec.Strategy)
	}
}
