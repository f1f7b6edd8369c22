package install

import (
	"bytes"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func TestUninstallDeletesOnlyOurs(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), clients(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	foreign := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-notes", Namespace: "capsule-system",
		Labels: map[string]string{headlamp.LabelName: headlamp.AppName}}}
	if _, err := cs.CoreV1().ConfigMaps("capsule-system").Create(t.Context(), foreign, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	dry, err := Uninstall(t.Context(), clients(cs), UninstallOptions{Namespace: "capsule-system", DryRun: DryRunClient, Progress: &out})
	if err != nil || len(dry) != 5 {
		t.Fatalf("client dry run listed %v, err %v", dry, err)
	}
	if _, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{}); err != nil {
		t.Fatalf("the client dry run deleted: %v", err)
	}

	gone, err := Uninstall(t.Context(), clients(cs), UninstallOptions{Namespace: "capsule-system", Wait: true, Timeout: time.Second, Progress: &out})
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 5 || !strings.Contains(out.String(), "deployment.apps/headlamp deleted") || !strings.Contains(out.String(), "all 5 objects are gone") {
		t.Errorf("deleted %v; progress:\n%s", gone, out.String())
	}
	for _, keep := range []struct{ kind, name string }{{"secret", "capsule-proxy"}, {"configmap", "headlamp-notes"}, {"namespace", "capsule-system"}} {
		var err error
		switch keep.kind {
		case "secret":
			_, err = cs.CoreV1().Secrets("capsule-system").Get(t.Context(), keep.name, metav1.GetOptions{})
		case "configmap":
			_, err = cs.CoreV1().ConfigMaps("capsule-system").Get(t.Context(), keep.name, metav1.GetOptions{})
		default:
			_, err = cs.CoreV1().Namespaces().Get(t.Context(), keep.name, metav1.GetOptions{})
		}
		if err != nil {
			t.Errorf("uninstall removed %s %s: %v", keep.kind, keep.name, err)
		}
	}
	again, err := Uninstall(t.Context(), clients(cs), UninstallOptions{Namespace: "capsule-system"})
	if err != nil || len(again) != 0 {
		t.Errorf("second uninstall: %v, %v", again, err)
	}
}

func TestUninstallUnknownNamespace(t *testing.T) {
	_, err := Uninstall(t.Context(), clients(cluster(nil)), UninstallOptions{Namespace: "nope"})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v", err)
	}
}
