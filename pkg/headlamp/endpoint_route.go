package headlamp

import (
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// RouteEndpoints returns the ways to svc through routes: each host name that is no wildcard of a
// route with a rule sending traffic to one of svc's ports and a parent Gateway, routes by name. The
// origin is https://host until GatewayScheme says otherwise.
func RouteEndpoints(routes []unstructured.Unstructured, svc *corev1.Service) []Endpoint {
	sorted := slices.Clone(routes)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].GetName() < sorted[j].GetName() })
	var eps []Endpoint
	for i := range sorted {
		eps = append(eps, routeEndpoints(&sorted[i], svc)...)
	}
	return eps
}

func routeEndpoints(route *unstructured.Unstructured, svc *corev1.Service) []Endpoint {
	if !routeBacksService(route, svc) {
		return nil
	}
	parents, _, _ := unstructured.NestedSlice(route.Object, "spec", "parentRefs")
	if len(parents) == 0 {
		return nil
	}
	p, _ := parents[0].(map[string]any)
	gw := &ParentGateway{Namespace: route.GetNamespace()}
	gw.Name, _ = p["name"].(string)
	gw.Section, _ = p["sectionName"].(string)
	if ns, _ := p["namespace"].(string); ns != "" {
		gw.Namespace = ns
	}
	if gw.Name == "" {
		return nil
	}
	hosts, _, _ := unstructured.NestedStringSlice(route.Object, "spec", "hostnames")
	var eps []Endpoint
	for _, h := range hosts {
		if !strings.HasPrefix(h, "*") {
			eps = append(eps, Endpoint{Kind: KindHTTPRoute, Name: route.GetName(), Origin: "https://" + h, Gateway: gw})
		}
	}
	return eps
}

// routeBacksService tells whether a rule of the route sends traffic to one of svc's ports.
func routeBacksService(route *unstructured.Unstructured, svc *corev1.Service) bool {
	rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
	for _, rule := range rules {
		r, _ := rule.(map[string]any)
		refs, _, _ := unstructured.NestedSlice(r, "backendRefs")
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
// a listener for it (section, when the route names one) is HTTPS, else http when one is HTTP.
// known is false when no listener matches.
func GatewayScheme(gw *unstructured.Unstructured, section, host string) (scheme string, known bool) {
	listeners, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
	for _, want := range []string{"HTTPS", "HTTP"} {
		for _, l := range listeners {
			m, _ := l.(map[string]any)
			name, _ := m["name"].(string)
			proto, _ := m["protocol"].(string)
			hostname, _ := m["hostname"].(string)
			if proto == want && (section == "" || section == name) && (hostname == "" || hostname == host || wildcardMatch(hostname, host)) {
				return strings.ToLower(want), true
			}
		}
	}
	return "", false
}
