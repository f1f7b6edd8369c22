package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

func TestBundleHoldsNoSecret(t *testing.T) {
	const (
		clientSecret = "client-secret-value-42"
		keyBytes     = "PRIVATE-KEY-MATERIAL"
	)
	idp := oidctest.New(t)
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "capsule-system",
			Annotations: map[string]string{"kubectl.kubernetes.io/last-applied-configuration": clientSecret}},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "headlamp",
			Args: []string{"-in-cluster", "-oidc-client-secret=" + clientSecret, "--oidc-client-secret", clientSecret, "-oidc-client-id=headlamp"},
			Env: []corev1.EnvVar{{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", Value: clientSecret}, {Name: "OIDC_ISSUER_URL", Value: idp.Issuer},
				{Name: "FROM_REF", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{Key: "clientSecret"}}}},
		}}}}},
	}
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"},
		Data: map[string][]byte{"tls.crt": idp.CAPEM(), "tls.key": []byte(keyBytes), "ca.crt": idp.CAPEM()}}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "capsule-system"}}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-1", Namespace: "capsule-system"},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}}
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "capsule-system"}, Reason: "Started", Message: "started"}
	cs := fake.NewClientset(dep, secret, svc, pod, ev)

	b := Bundle{Report: engine.Report{Outcomes: []engine.Outcome{{ID: "T-OBTAINED", Result: engine.Pass("ok")}}}, Created: time.Now(),
		Claims: map[string]any{"email": "alice@example.com"}, Versions: map[string]string{"plugin": "test"}}
	Collect(t.Context(), cs, Sources{
		Deployments: []ObjectRef{{"capsule-system", "headlamp"}, {"capsule-system", "capsule-proxy"}},
		Services:    []ObjectRef{{"capsule-system", "headlamp"}},
		Namespaces:  []string{"capsule-system"},
		ProxySecret: ObjectRef{"capsule-system", "capsule-proxy"},
	}, &b)
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	files := untar(t, buf.Bytes())
	for _, name := range []string{"report.json", "claims.json", "certificates.json", "pods.json", "events.json", "versions.json", "errors.json", "objects/00-Deployment-headlamp.yaml", "objects/01-Service-headlamp.yaml"} {
		if _, ok := files["capsule-headlamp-doctor/"+name]; !ok {
			t.Errorf("bundle lacks %s (has %v)", name, keys(files))
		}
	}
	for name, data := range files {
		for _, s := range []string{clientSecret, keyBytes} {
			if strings.Contains(data, s) {
				t.Errorf("%s holds a secret value", name)
			}
		}
	}
	if !strings.Contains(files["capsule-headlamp-doctor/certificates.json"], `"sha256"`) ||
		!strings.Contains(files["capsule-headlamp-doctor/errors.json"], "deployment capsule-system/capsule-proxy: ") {
		t.Errorf("certificates or the errors file absent:\n%s\n%s", files["capsule-headlamp-doctor/certificates.json"], files["capsule-headlamp-doctor/errors.json"])
	}
	// The bundle judges readiness by the one rule: the Deployment has no status, so it has not rolled out.
	if got := files["capsule-headlamp-doctor/rollouts.json"]; !strings.Contains(got, `"capsule-system/headlamp": {`) ||
		!strings.Contains(got, `"state": "progressing"`) || !strings.Contains(got, `"message": "0/1 pods updated"`) {
		t.Errorf("rollouts.json:\n%s", got)
	}
	if !strings.Contains(files["capsule-headlamp-doctor/pods.json"], `"ready": true`) {
		t.Errorf("pods.json does not call the running, ready pod ready:\n%s", files["capsule-headlamp-doctor/pods.json"])
	}
	if !strings.Contains(files["capsule-headlamp-doctor/objects/00-Deployment-headlamp.yaml"], "secretKeyRef") {
		t.Error("the secret reference was removed: it is not a secret and helps support")
	}
}

func untar(t *testing.T, data []byte) map[string]string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	out := map[string]string{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", hdr.Name, hdr.Mode)
		}
		b, _ := io.ReadAll(tr)
		out[hdr.Name] = string(b)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestScrubArgs(t *testing.T) {
	cases := []struct{ args, want []string }{
		{
			[]string{"-oidc-client-secret=s", "--password", "p", "-oidc-client-id=headlamp", "--token"},
			[]string{"-oidc-client-secret=[removed]", "--password", "[removed]", "-oidc-client-id=headlamp", "--token"},
		},
		{ // a value starting with - is still the flag's value
			[]string{"-oidc-client-secret", "-hunter2", "-in-cluster"},
			[]string{"-oidc-client-secret", "[removed]", "-in-cluster"},
		},
		{ // inside a shell string, both forms, quoted or not
			[]string{"sh", "-c", "exec headlamp -in-cluster -oidc-client-secret=hunter2 --api-token 'a b' -oidc-client-id=headlamp"},
			[]string{"sh", "-c", "exec headlamp -in-cluster -oidc-client-secret=[removed] --api-token [removed] -oidc-client-id=headlamp"},
		},
		{
			[]string{"sh", "-c", `OIDC_CLIENT_SECRET="x y" headlamp --private-key -k`},
			[]string{"sh", "-c", "OIDC_CLIENT_SECRET=[removed] headlamp --private-key [removed]"},
		},
	}
	for _, tc := range cases {
		if got := scrubArgs(tc.args); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("scrubArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestBundleSaysNothingWasMissed: a bundle whose every task succeeded still has its errors file, empty,
// and keeps the order of the sources whatever the order the answers came in.
func TestBundleSaysNothingWasMissed(t *testing.T) {
	var objs []runtime.Object
	var refs []ObjectRef
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		objs = append(objs, &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}})
		refs = append(refs, ObjectRef{"ns", name})
	}
	objs = append(objs, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "ns"}})
	b := Bundle{Created: time.Now()}
	Collect(t.Context(), fake.NewClientset(objs...), Sources{Services: refs, Namespaces: []string{"ns"}, ProxySecret: ObjectRef{"ns", "capsule-proxy"}}, &b)
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	files := untar(t, buf.Bytes())
	if got := files["capsule-headlamp-doctor/errors.json"]; got != "[]\n" {
		t.Errorf("errors.json = %q, want an empty list", got)
	}
	for i, name := range []string{"a", "b", "c", "d", "e", "f"} {
		if _, ok := files[fmt.Sprintf("capsule-headlamp-doctor/objects/%02d-Service-%s.yaml", i, name)]; !ok {
			t.Errorf("service %s is not object %d: %v", name, i, keys(files))
		}
	}
}
