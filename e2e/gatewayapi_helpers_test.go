package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

var (
	httpRoutes = schema.GroupVersionResource{Group: gatewayv1.GroupName, Version: "v1", Resource: "httproutes"}
	crds       = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
)

// gatewayAPICRDs are the Gateway API's standard CRDs install and login use.
var gatewayAPICRDs = []string{"gatewayclasses", "gateways", "httproutes"}

// installGatewayAPI applies the Gateway API's standard CRDs, the real ones from the gateway-api
// module this test binary is built with (the sandbox has none), waits until they are served, and
// removes them at cleanup, waiting until they are gone: other tests see a cluster without them.
func installGatewayAPI(t *testing.T) {
	t.Helper()
	dir := filepath.Join(gatewayAPIModuleDir(t), "config", "crd", "standard")
	for _, name := range gatewayAPICRDs {
		data, err := os.ReadFile(filepath.Join(dir, gatewayv1.GroupName+"_"+name+".yaml")) //nolint:gosec // the module's own file
		if err != nil {
			t.Fatal(err)
		}
		apply(t, string(data))
	}
	// The test's context is cancelled by cleanup time: delete and wait on a fresh one.
	t.Cleanup(func() {
		ctx := context.Background()
		for _, name := range gatewayAPICRDs {
			_ = sb.Dynamic().Resource(crds).Delete(ctx, name+"."+gatewayv1.GroupName, metav1.DeleteOptions{})
		}
		deadline := time.Now().Add(2 * time.Minute)
		for gatewayAPIServed(false) != nil && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if err := gatewayAPIServed(false); err != nil {
			t.Errorf("the Gateway API CRDs are still served after cleanup: %v", err)
		}
	})
	eventually(t, "the Gateway API served", func(context.Context) error { return gatewayAPIServed(true) })
}

// gatewayAPIServed is nil when discovery serves HTTPRoutes and Gateways (want), or neither (!want).
func gatewayAPIServed(want bool) error {
	list, err := sb.Kube().Discovery().ServerResourcesForGroupVersion(gatewayv1.GroupVersion.String())
	served := err == nil && slices.ContainsFunc(list.APIResources, func(r metav1.APIResource) bool { return r.Name == "httproutes" })
	if served != want {
		return fmt.Errorf("httproutes served = %v (%v)", served, err)
	}
	return nil
}

// gatewayAPIModuleDir is the gateway-api module this e2e module requires, in the module cache
// (hack/ci/e2e.sh downloads it before the tests lose the network).
func gatewayAPIModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/gateway-api").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Fatalf("find the gateway-api module in the module cache: %v", err)
	}
	return dir
}

// gatewayObject is a Gateway with one HTTP listener for *.e2e.example that takes HTTPRoutes from
// every namespace. No controller runs in the sandbox: the Gateway is what install and login read.
func gatewayObject(t *testing.T, ns, name string) *unstructured.Unstructured {
	t.Helper()
	from, host := gatewayv1.NamespacesFromAll, gatewayv1.Hostname("*.e2e.example")
	gw := &gatewayv1.Gateway{
		TypeMeta:   metav1.TypeMeta{APIVersion: gatewayv1.GroupVersion.String(), Kind: "Gateway"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: gatewayv1.GatewaySpec{GatewayClassName: "e2e", Listeners: []gatewayv1.Listener{{
			Name: "web", Hostname: &host, Port: 80, Protocol: gatewayv1.HTTPProtocolType,
			AllowedRoutes: &gatewayv1.AllowedRoutes{Namespaces: &gatewayv1.RouteNamespaces{From: &from}},
		}}},
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(gw)
	if err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}
