package login

import (
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func httpRoute(name, host, backend string, port int64) unstructured.Unstructured {
	return unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
		"metadata": map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{
			"parentRefs": []any{map[string]any{"name": "public", "namespace": "gateways"}},
			"hostnames":  []any{host},
			"rules":      []any{map[string]any{"backendRefs": []any{map[string]any{"name": backend, "port": port}}}},
		},
	}}
}

func gatewayWith(protocol, host string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
		"metadata": map[string]any{"name": "public", "namespace": "gateways"},
		"spec":     map[string]any{"listeners": []any{map[string]any{"name": "web", "protocol": protocol, "hostname": host}}},
	}}
}

// routeClient is a fake dynamic client holding the objects under their resources.
func routeClient(t *testing.T, objs ...*unstructured.Unstructured) *dynamicfake.FakeDynamicClient {
	dc := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		headlamp.HTTPRouteGVR: "HTTPRouteList", headlamp.GatewayGVR: "GatewayList"})
	for _, o := range objs {
		gvr := headlamp.GatewayGVR
		if o.GetKind() == "HTTPRoute" {
			gvr = headlamp.HTTPRouteGVR
		}
		if err := dc.Tracker().Create(gvr, o, o.GetNamespace()); err != nil {
			t.Fatal(err)
		}
	}
	return dc
}

// TestRunThroughAnHTTPRoute: without an Ingress login opens Headlamp through its HTTPRoute, with the
// scheme of the Gateway's listener, and checks the redirect URI there.
func TestRunThroughAnHTTPRoute(t *testing.T) {
	idp := fakeIDPFunc(t, func(string) bool { return true })
	route := httpRoute("headlamp", "headlamp.example.com", "headlamp", 80)
	for name, tt := range map[string]struct {
		objs   []*unstructured.Unstructured
		forbid bool
		want   string
	}{
		"listener read":               {[]*unstructured.Unstructured{&route, gatewayWith("HTTP", "")}, false, "http://headlamp.example.com"},
		"tenant: no list, no gateway": {[]*unstructured.Unstructured{&route}, true, "https://headlamp.example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			env, ready, _ := testEnv(t, fake.NewClientset(installation(idp.URL+"/dex", false)...), headlampPod(), caOf(idp), newFakeBrowser())
			dc := routeClient(t, tt.objs...)
			if tt.forbid {
				dc.PrependReactor("list", "httproutes", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: headlamp.GatewayGroup, Resource: "httproutes"}, "", nil)
				})
			}
			env.Dynamic = dc
			if err := Run(t.Context(), Options{Namespace: ns, NoBrowser: true}, env); err != nil {
				t.Fatalf("Run() = %v", err)
			}
			got := <-ready
			if got.ReachedBy != ByHTTPRoute || got.HTTPRoute != "headlamp" || got.HeadlampURL != tt.want ||
				got.RedirectURI != tt.want+"/oidc-callback" || got.RedirectURIAccepted == nil {
				t.Errorf("session = %+v", got)
			}
		})
	}
}

// TestFindFallsBackToNamesForTenants: a user who may get Headlamp's objects by name but list
// nothing (the Role of --tenant-access) still finds the Deployment and its Service.
func TestFindFallsBackToNamesForTenants(t *testing.T) {
	cs := fake.NewClientset(installation("https://dex.example.com/dex", true)...)
	for _, resource := range []string{"deployments", "services", "ingresses"} {
		cs.PrependReactor("list", resource, func(a k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "", nil)
		})
	}
	in, err := Locate(t.Context(), cs, ns, "")
	if err != nil || in.Deployment.Name != "headlamp" || in.Service.Name != "headlamp" {
		t.Fatalf("Locate = %+v, %v", in, err)
	}
	if eps, err := headlamp.Endpoints(t.Context(), cs, nil, in.Service); len(eps) > 0 || err != nil {
		t.Errorf("Endpoints = %v, %v: the Ingress readable by name does not exist, which is no error", eps, err)
	}
}
