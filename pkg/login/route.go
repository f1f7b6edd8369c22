package login

import (
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// GatewayRoute is a way to Headlamp through a Gateway API HTTPRoute.
type GatewayRoute struct {
	Route string
	// Host is the route's first host name a browser can open; Gateway is its first parent.
	Host             string
	GatewayNamespace string
	Gateway          string
	// Section is the parent's listener (sectionName), "" for any.
	Section string
}

// FindHTTPRoute returns the first route (by name) with a rule that sends traffic to one of svc's
// ports and a host name that is no wildcard. ok is false when no HTTPRoute leads to the Service.
func FindHTTPRoute(routes []unstructured.Unstructured, svc *corev1.Service) (GatewayRoute, bool) {
	sorted := slices.Clone(routes)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].GetName() < sorted[j].GetName() })
	for i := range sorted {
		if r, ok := routeTo(&sorted[i], svc); ok {
			return r, true
		}
	}
	return GatewayRoute{}, false
}

func routeTo(route *unstructured.Unstructured, svc *corev1.Service) (GatewayRoute, bool) {
	if !routeBacksService(route, svc) {
		return GatewayRoute{}, false
	}
	hosts, _, _ := unstructured.NestedStringSlice(route.Object, "spec", "hostnames")
	parents, _, _ := unstructured.NestedSlice(route.Object, "spec", "parentRefs")
	r := GatewayRoute{Route: route.GetName()}
	for _, h := range hosts {
		if !strings.HasPrefix(h, "*") {
			r.Host = h
			break
		}
	}
	if len(parents) > 0 {
		p, _ := parents[0].(map[string]any)
		r.Gateway, _ = p["name"].(string)
		r.GatewayNamespace, _ = p["namespace"].(string)
		r.Section, _ = p["sectionName"].(string)
		if r.GatewayNamespace == "" {
			r.GatewayNamespace = route.GetNamespace()
		}
	}
	return r, r.Host != "" && r.Gateway != ""
}

// routeBacksService tells whether a rule of the route sends traffic to one of svc's ports.
func routeBacksService(route *unstructured.Unstructured, svc *corev1.Service) bool {
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	for _, rule := range rules {
		refs, _, _ := unstructured.NestedSlice(rule.(map[string]any), "backendRefs")
		for _, ref := range refs {
			m, _ := ref.(map[string]any)
			kind, _ := m["kind"].(string)
			ns, _ := m["namespace"].(string)
			name, _ := m["name"].(string)
			port, _ := m["port"].(int64)
			if (kind != "" && kind != "Service") || (ns != "" && ns != svc.Namespace) || name != svc.Name {
				continue
			}
			for _, p := range svc.Spec.Ports {
				if int64(p.Port) == port {
					return true
				}
			}
		}
	}
	return false
}

// GatewayScheme is the scheme a browser uses through the Gateway's listeners for host: https when
// a listener for it (the route's section, if it names one) is HTTPS, else http when one is HTTP.
// known is false when no listener matches.
func GatewayScheme(gw *unstructured.Unstructured, r GatewayRoute) (scheme string, known bool) {
	listeners, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
	for _, want := range []string{"HTTPS", "HTTP"} {
		for _, l := range listeners {
			m, _ := l.(map[string]any)
			name, _ := m["name"].(string)
			proto, _ := m["protocol"].(string)
			host, _ := m["hostname"].(string)
			if proto == want && (r.Section == "" || r.Section == name) && (host == "" || host == r.Host || wildcardMatch(host, r.Host)) {
				return strings.ToLower(want), true
			}
		}
	}
	return "", false
}
