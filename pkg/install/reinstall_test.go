package install

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// The fake clientset keeps no resourceVersions, so "unchanged" is checked end to end; here: a second
// install creates nothing, and a rotated secret changes the pod template.
func TestReinstall(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), cs, testOptions()); err != nil {
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
	res, err := Install(t.Context(), cs, testOptions())
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
	if _, err := Install(t.Context(), cs, opts); err != nil {
		t.Fatal(err)
	}
	if hash() == first {
		t.Error("a rotated client secret leaves the pod template as it was: Headlamp would keep the old one")
	}
}
