package headlamp

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// HTTPRouteGVR is the resource install writes HTTPRoutes as.
var HTTPRouteGVR = schema.GroupVersionResource{Group: GatewayGroup, Version: GatewayVersion, Resource: "httproutes"}

// GatewayGVR is the resource of Gateways.
var GatewayGVR = schema.GroupVersionResource{Group: GatewayGroup, Version: GatewayVersion, Resource: "gateways"}

// httpRoute attaches Headlamp's Service to the Gateway for the host, under the base URL. It is
// unstructured: the plugin applies it with the dynamic client and needs no Gateway API module.
func httpRoute(s Settings) *unstructured.Unstructured {
	gw := s.Gateway
	path := s.BaseURL
	if path == "" {
		path = "/"
	}
	labels := map[string]any{}
	for k, v := range Labels(s) {
		labels[k] = v
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": GatewayGroup + "/" + GatewayVersion,
		"kind":       KindHTTPRoute,
		"metadata":   map[string]any{"name": s.Name, "namespace": s.Namespace, "labels": labels},
		"spec": map[string]any{
			"parentRefs": []any{map[string]any{
				"group": GatewayGroup, "kind": KindGateway, "namespace": gw.Namespace, "name": gw.Name,
			}},
			"hostnames": []any{gw.Host},
			"rules": []any{map[string]any{
				"matches":     []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": path}}},
				"backendRefs": []any{map[string]any{"name": s.Name, "port": int64(ServicePort)}},
			}},
		},
	}}
}

// GatewayOf reads the Gateway and host of an HTTPRoute install wrote: its first parent and first
// host name. The parent's namespace defaults to the route's, as in the Gateway API.
func GatewayOf(route *unstructured.Unstructured) *Gateway {
	parents, _, _ := unstructured.NestedSlice(route.Object, "spec", "parentRefs")
	hosts, _, _ := unstructured.NestedStringSlice(route.Object, "spec", "hostnames")
	if len(parents) == 0 || len(hosts) == 0 {
		return nil
	}
	parent, _ := parents[0].(map[string]any)
	name, _ := parent["name"].(string)
	ns, _ := parent["namespace"].(string)
	if ns == "" {
		ns = route.GetNamespace()
	}
	return &Gateway{Namespace: ns, Name: name, Host: hosts[0]}
}
