package headlamp

import (
	"errors"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func routeTo(name, backend string, port int64, hosts ...any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
		"metadata": map[string]any{"name": name, "namespace": "capsule-system"},
		"spec": map[string]any{
			"parentRefs": []any{map[string]any{"name": "public", "namespace": "gateways"}},
			"hostnames":  hosts,
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

func TestRouteEndpoints(t *testing.T) {
	routes := []unstructured.Unstructured{
		*routeTo("other", "other", 80, "other.example.com"),
		*routeTo("wrong-port", "headlamp", 8080, "h.example.com"),
		*routeTo("wildcard", "headlamp", 80, "*.example.com", "b.example.com"),
		*routeTo("headlamp", "headlamp", 80, "headlamp.example.com"),
	}
	eps := RouteEndpoints(routes, headlampSvc)
	want := []string{"headlamp https://headlamp.example.com", "wildcard https://b.example.com"}
	if len(eps) != len(want) {
		t.Fatalf("RouteEndpoints = %+v, want %q", eps, want)
	}
	for i, ep := range eps {
		if got := ep.Name + " " + ep.Origin; got != want[i] || ep.Kind != KindHTTPRoute || *ep.Gateway != (ParentGateway{Namespace: "gateways", Name: "public"}) {
			t.Errorf("endpoint %d = %+v, want %s through gateways/public", i, ep, want[i])
		}
	}
	if eps := RouteEndpoints(routes[:2], headlampSvc); len(eps) != 0 {
		t.Errorf("found a route that does not lead to the Service: %+v", eps)
	}
}

func TestGatewayScheme(t *testing.T) {
	for _, tt := range []struct {
		gw         *unstructured.Unstructured
		want       string
		wantsKnown bool
	}{
		{gatewayWith("HTTPS", "*.example.com"), "https", true},
		{gatewayWith("HTTP", ""), "http", true},
		{gatewayWith("HTTPS", "other.example.org"), "", false},
	} {
		if got, known := GatewayScheme(tt.gw, "", "headlamp.example.com"); got != tt.want || known != tt.wantsKnown {
			t.Errorf("GatewayScheme = %q, %v; want %q, %v", got, known, tt.want, tt.wantsKnown)
		}
	}
}

// routeClient is a fake dynamic client holding the objects under their resources.
func routeClient(t *testing.T, objs ...*unstructured.Unstructured) *dynamicfake.FakeDynamicClient {
	dc := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		HTTPRouteGVR: "HTTPRouteList", GatewayGVR: "GatewayList"})
	for _, o := range objs {
		gvr := GatewayGVR
		if o.GetKind() == KindHTTPRoute {
			gvr = HTTPRouteGVR
		}
		if err := dc.Tracker().Create(gvr, o, o.GetNamespace()); err != nil {
			t.Fatal(err)
		}
	}
	return dc
}

// TestEndpoints: every way in, Ingresses first, routes with their Gateway's scheme; a user who may
// list nothing gets the objects named after the Service; a failed list is said and the rest found.
func TestEndpoints(t *testing.T) {
	ing := ingressTo("headlamp", "i.example.com", backendTo("headlamp", networkingv1.ServiceBackendPort{Number: 80}))
	ing.Namespace = "capsule-system"
	forbid := func(resource string) k8stesting.ReactionFunc {
		return func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "", nil)
		}
	}
	for name, tt := range map[string]struct {
		objs    []*unstructured.Unstructured
		react   func(*fake.Clientset, *dynamicfake.FakeDynamicClient)
		want    []string
		assumed bool
		err     string
	}{
		"all readable": {objs: []*unstructured.Unstructured{routeTo("headlamp", "headlamp", 80, "r.example.com", "s.example.com"), gatewayWith("HTTP", "")},
			want: []string{"http://i.example.com", "http://r.example.com", "http://s.example.com"}},
		"a tenant lists nothing and may not read the Gateway": {objs: []*unstructured.Unstructured{routeTo("headlamp", "headlamp", 80, "r.example.com")},
			react: func(cs *fake.Clientset, dc *dynamicfake.FakeDynamicClient) {
				cs.PrependReactor("list", "ingresses", forbid("ingresses"))
				dc.PrependReactor("list", "httproutes", forbid("httproutes"))
			}, want: []string{"http://i.example.com", "https://r.example.com"}, assumed: true},
		"ingresses fail": {objs: []*unstructured.Unstructured{routeTo("headlamp", "headlamp", 80, "r.example.com"), gatewayWith("HTTPS", "")},
			react: func(cs *fake.Clientset, _ *dynamicfake.FakeDynamicClient) {
				cs.PrependReactor("list", "ingresses", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, errors.New("etcd is down")
				})
			}, want: []string{"https://r.example.com"}, err: "list ingresses in namespace capsule-system: etcd is down"},
	} {
		t.Run(name, func(t *testing.T) {
			cs, dc := fake.NewClientset(&ing), routeClient(t, tt.objs...)
			if tt.react != nil {
				tt.react(cs, dc)
			}
			eps, err := Endpoints(t.Context(), cs, dc, headlampSvc)
			var got []string
			for _, ep := range eps {
				got = append(got, ep.Origin)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("origins = %q, want %q", got, tt.want)
			}
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || err.Error() != tt.err) {
				t.Errorf("err = %v, want %q", err, tt.err)
			}
			if assumed := eps[len(eps)-1].SchemeAssumed != ""; assumed != tt.assumed {
				t.Errorf("scheme assumed = %v (%+v), want %v", assumed, eps[len(eps)-1], tt.assumed)
			}
		})
	}
}
