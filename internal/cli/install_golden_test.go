package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// productionCluster is a fake cluster with capsule-proxy, a pull Secret, the Gateway API and a
// Gateway, where the user may do anything.
func productionCluster(t *testing.T) install.Clients {
	ca := trusttest.NewCA(t, "proxy CA")
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"}})
	ns := "capsule-system"
	cs := fake.NewClientset(
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns}, Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app.kubernetes.io/name": "capsule-proxy"}, Ports: []corev1.ServicePort{{Name: "proxy", Port: 9001}}}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns},
			Data: map[string][]byte{"tls.crt": leaf.CertPEM(), "ca.crt": ca.CertPEM()}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "regcred", Namespace: ns}, Type: corev1.SecretTypeDockerConfigJson})
	cs.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		review := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview)
		review.Status.Allowed = true
		return true, review, nil
	})
	cs.Resources = []*metav1.APIResourceList{{GroupVersion: "gateway.networking.k8s.io/v1",
		APIResources: []metav1.APIResource{{Name: "httproutes", Namespaced: true, Kind: "HTTPRoute"}}}}
	dc := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		headlamp.HTTPRouteGVR: "HTTPRouteList", headlamp.GatewayGVR: "GatewayList"})
	gw := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
		"metadata": map[string]any{"name": "public", "namespace": "gateways"},
		"spec": map[string]any{"listeners": []any{map[string]any{"name": "https", "protocol": "HTTPS",
			"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "All"}}}}},
	}}
	if err := dc.Tracker().Create(headlamp.GatewayGVR, gw, "gateways"); err != nil {
		t.Fatal(err)
	}
	return install.Clients{Kube: cs, Dynamic: dc, LookupHost: func(context.Context, string) ([]string, error) {
		return []string{"198.51.100.7", "192.0.2.10"}, nil
	}}
}

// configHash varies with the random proxy CA of each run.
var configHash = regexp.MustCompile(`((?:config-hash|proxy-ca-sha256): )[0-9a-f]+`)

// TestInstallDryRunGolden: install --dry-run=client -o yaml with every option on prints every
// object, the client secret redacted.
func TestInstallDryRunGolden(t *testing.T) {
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	ns := "capsule-system"
	kube := genericclioptions.NewConfigFlags(true)
	kube.Namespace = &ns
	getenv := func(k string) string { return map[string]string{envClientSecret: "s3cr3t-value"}[k] }
	o := &installOptions{root: &rootOptions{streams: streams, getenv: getenv, kube: kube}}
	c := productionCluster(t)
	o.clients = func() (install.Clients, error) { return c, nil }
	cmd := o.command()
	cmd.SetArgs([]string{"--oidc-issuer-url=https://dex.example.com/dex", "--oidc-ca-file", filepath.Join("testdata", "idp-ca.pem"),
		"--image=registry.example.com/mirror/headlamp:v0.45.0", "--image-pull-secret=regcred",
		"--requests=cpu=200m", "--limits=memory=1Gi", "--network-policy",
		"--gateway=gateways/public", "--gateway-host=headlamp.example.com", "--tenant-access=tenant-a-owners",
		"--dry-run=client", "-o", "yaml"})
	if err := cmd.ExecuteContext(t.Context()); err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, errOut)
	}
	got := configHash.ReplaceAll(out.Bytes(), []byte("${1}HASH"))
	if bytes.Contains(got, []byte("s3cr3t-value")) || bytes.Contains(got, []byte("czNjcjN0LXZhbHVl")) {
		t.Fatal("the client secret is printed")
	}
	golden.Assert(t, "install-production.yaml", got, *update)
}
