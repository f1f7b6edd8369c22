package install

import (
	"context"
	"fmt"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// gatewayAPIProblems tells whether the cluster serves HTTPRoutes in the version install writes.
func gatewayAPIProblems(d discovery.DiscoveryInterface) []Problem {
	gv := headlamp.GatewayGroup + "/" + headlamp.GatewayVersion
	list, err := d.ServerResourcesForGroupVersion(gv)
	if err != nil && !apierrors.IsNotFound(err) {
		return []Problem{{What: fmt.Sprintf("ask the API server whether it serves %s: %v", gv, err)}}
	}
	if list != nil && slices.ContainsFunc(list.APIResources, func(r metav1.APIResource) bool { return r.Name == headlamp.HTTPRouteGVR.Resource }) {
		return nil
	}
	return []Problem{{What: fmt.Sprintf("the cluster does not serve HTTPRoutes (%s): the Gateway API's CRDs are not installed", gv),
		Hint: "install the Gateway API's standard CRDs and a Gateway controller, or expose Headlamp with --ingress-host instead of --gateway"}}
}

// gatewayProblems reads the Gateway and makes sure one of its listeners takes an HTTPRoute for the
// host from the route's namespace (whose labels a listener's namespace selector is matched with).
func gatewayProblems(ctx context.Context, c Clients, gw headlamp.Gateway, routeNS string, nsLabels map[string]string) []Problem {
	what := fmt.Sprintf("gateway %s/%s", gw.Namespace, gw.Name)
	if c.Dynamic == nil {
		return []Problem{{What: "read " + what + ": " + errNoDynamic.Error()}}
	}
	obj, err := c.Dynamic.Resource(headlamp.GatewayGVR).Namespace(gw.Namespace).Get(ctx, gw.Name, metav1.GetOptions{})
	if err != nil {
		return []Problem{readProblem(err, what, "create the Gateway first, or name an existing one with --gateway NAMESPACE/NAME")}
	}
	listeners, _, _ := unstructured.NestedSlice(obj.Object, "spec", "listeners")
	var refused []string
	for _, l := range listeners {
		m, _ := l.(map[string]any)
		why := listenerRefuses(m, gw, routeNS, nsLabels)
		if why == "" {
			return nil
		}
		name, _ := m["name"].(string)
		refused = append(refused, fmt.Sprintf("%s: %s", name, why))
	}
	return []Problem{{What: fmt.Sprintf("no listener of %s takes an HTTPRoute for %s from namespace %s (%s)", what, gw.Host, routeNS, strings.Join(refused, "; ")),
		Hint: "add a listener for the host whose allowedRoutes admit HTTPRoutes from this namespace, or choose another Gateway"}}
}

// listenerRefuses says why a listener would not take the route, "" when it would.
func listenerRefuses(l map[string]any, gw headlamp.Gateway, routeNS string, nsLabels map[string]string) string {
	if proto, _ := l["protocol"].(string); proto != "HTTP" && proto != "HTTPS" {
		return "protocol " + proto
	}
	if host, _ := l["hostname"].(string); host != "" && !hostMatches(host, gw.Host) {
		return "host name " + host
	}
	if kinds, ok, _ := unstructured.NestedSlice(l, "allowedRoutes", "kinds"); ok && len(kinds) > 0 &&
		!slices.ContainsFunc(kinds, func(k any) bool { m, _ := k.(map[string]any); return m["kind"] == headlamp.KindHTTPRoute }) {
		return "no HTTPRoute among its allowed kinds"
	}
	from, _, _ := unstructured.NestedString(l, "allowedRoutes", "namespaces", "from")
	switch from {
	case "All":
		return ""
	case "", "Same":
		if routeNS != gw.Namespace {
			return "routes from its own namespace only"
		}
		return ""
	case "Selector":
		sel, _, _ := unstructured.NestedMap(l, "allowedRoutes", "namespaces", "selector")
		var ls metav1.LabelSelector
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(sel, &ls); err != nil {
			return "an unreadable namespace selector"
		}
		if s, err := metav1.LabelSelectorAsSelector(&ls); err != nil || !s.Matches(labels.Set(nsLabels)) {
			return "a namespace selector that does not select " + routeNS
		}
		return ""
	}
	return "routes from " + from
}

// hostMatches applies a listener's host name, which may start with a wildcard label, to a host.
func hostMatches(listener, host string) bool {
	if suffix, ok := strings.CutPrefix(listener, "*"); ok {
		return strings.HasSuffix(host, suffix) && len(host) > len(suffix)
	}
	return strings.EqualFold(listener, host)
}
