package headlamp

import (
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
)

func testDeployment(name string, labels map[string]string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", Labels: labels},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{LabelName: AppName, LabelInstance: name}},
		}},
	}
}

func TestFind(t *testing.T) {
	ours := testDeployment("ours", map[string]string{LabelManagedBy: ManagedBy, LabelName: AppName})
	chart := testDeployment("chart", map[string]string{LabelManagedBy: ManagedByHelm, LabelName: AppName})
	chart2 := testDeployment("chart2", map[string]string{LabelName: AppName})
	other := testDeployment("nginx", map[string]string{LabelName: "nginx"})
	tests := []struct {
		name    string
		objects []runtime.Object
		byName  string
		want    string
		wantErr string
	}{
		{"ours first", []runtime.Object{chart, ours, other}, "", "ours", ""},
		{"the chart's", []runtime.Object{chart, other}, "", "chart", ""},
		{"several", []runtime.Object{chart, chart2}, "", "", "several Headlamp deployments in namespace ns (chart, chart2): pass --headlamp NAME"},
		{"none", []runtime.Object{other}, "", "", "no Headlamp deployment found in namespace ns"},
		{"by name", []runtime.Object{chart, ours}, "chart", "chart", ""},
		{"by name, missing", nil, "gone", "", "get deployment ns/gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dep, err := Find(t.Context(), fake.NewClientset(tt.objects...), "ns", tt.byName)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || dep.Name != tt.want {
				t.Fatalf("Find = %v, %v; want %s", dep, err, tt.want)
			}
		})
	}
	_, err := Find(t.Context(), fake.NewClientset(), "ns", "")
	if !errors.Is(err, ErrNoHeadlamp) {
		t.Errorf("empty namespace: err = %v, want ErrNoHeadlamp", err)
	}
}

func TestFindService(t *testing.T) {
	dep := testDeployment("headlamp", nil)
	svc := func(name string, selector map[string]string) *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}, Spec: corev1.ServiceSpec{Selector: selector}}
	}
	cs := fake.NewClientset(
		svc("unrelated", map[string]string{LabelName: "nginx"}),
		svc("alias", map[string]string{LabelName: AppName}),
		svc("headlamp", map[string]string{LabelName: AppName, LabelInstance: "headlamp"}),
		svc("headless", nil),
	)
	got, err := FindService(t.Context(), cs, dep)
	if err != nil || got.Name != "headlamp" {
		t.Fatalf("FindService = %v, %v", got, err)
	}
	if _, err := FindService(t.Context(), fake.NewClientset(svc("unrelated", map[string]string{"a": "b"})), dep); err == nil {
		t.Error("found a service that selects other pods")
	}
}
