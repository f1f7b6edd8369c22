package headlampview

import (
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
)

// TestNoHeadlampSaidOnce: the finding says "no Headlamp deployment found" once, names a namespace that
// does not exist, and claims nothing about one doctor may not read.
func TestNoHeadlampSaidOnce(t *testing.T) {
	cases := []struct {
		name      string
		objects   []runtime.Object
		forbidden bool
		want      string
	}{
		{"empty namespace", []runtime.Object{&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "apps"}}}, false, "no Headlamp deployment found in namespace apps"},
		{"no such namespace", nil, false, "namespace apps does not exist"},
		{"namespaces not readable", nil, true, "no Headlamp deployment found in namespace apps"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewClientset(tc.objects...)
			if tc.forbidden {
				cs.PrependReactor("get", "namespaces", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "apps", errors.New("no"))
				})
			}
			_, err := read(t.Context(), area.Env{Kube: cs, Namespace: "apps"})
			if !errors.Is(err, ErrNoHeadlamp) || !strings.Contains(err.Error(), tc.want) || strings.Count(err.Error(), "no Headlamp deployment found") > 1 {
				t.Errorf("err = %v, want ErrNoHeadlamp saying %q once", err, tc.want)
			}
			if tc.forbidden && strings.Contains(err.Error(), "does not exist") {
				t.Errorf("claims the namespace does not exist without reading it: %v", err)
			}
		})
	}
}
