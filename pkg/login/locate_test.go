package login

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestLocateChoosesAmongSeveralByName(t *testing.T) {
	objs := installation("https://dex.example.com", true)
	other := objs[0].(*appsv1.Deployment).DeepCopy()
	other.Name = "headlamp-old"
	cs := fake.NewClientset(append(objs, other)...)

	_, err := Locate(t.Context(), cs, ns, "")
	if err == nil || !strings.Contains(err.Error(), "pass --headlamp NAME") {
		t.Errorf("Locate without a name = %v, want an error naming --headlamp", err)
	}
	in, err := Locate(t.Context(), cs, ns, "headlamp-old")
	if err != nil || in.Deployment.Name != "headlamp-old" {
		t.Errorf("Locate(headlamp-old) = %v, %v; want that deployment", in, err)
	}
}
