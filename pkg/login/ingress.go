package login

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// IngressRoute is a way to Headlamp through an Ingress.
type IngressRoute struct {
	Ingress string
	// Origin is scheme://host; https when the Ingress has TLS for the host.
	Origin string
}

// FindIngress returns the route to svc through one of ings: a rule whose path sends traffic to the
// Service (or a default backend that does), with a host name, or else the load balancer address the
// controller published. Routes with TLS win, then Ingress names in order. ok is false when no
// Ingress leads to the Service.
func FindIngress(ings []networkingv1.Ingress, svc *corev1.Service) (IngressRoute, bool) {
	var routes []IngressRoute
	for i := range ings {
		routes = append(routes, ingressRoutes(&ings[i], svc)...)
	}
	if len(routes) == 0 {
		return IngressRoute{}, false
	}
	sort.SliceStable(routes, func(i, j int) bool {
		ti, tj := isHTTPS(routes[i]), isHTTPS(routes[j])
		if ti != tj {
			return ti
		}
		return routes[i].Ingress < routes[j].Ingress
	})
	return routes[0], true
}

func isHTTPS(r IngressRoute) bool { return strings.HasPrefix(r.Origin, "https://") }

func ingressRoutes(ing *networkingv1.Ingress, svc *corev1.Service) []IngressRoute {
	var routes []IngressRoute
	add := func(host string) {
		if host == "" {
			host = loadBalancerHost(ing)
		}
		if host == "" || strings.HasPrefix(host, "*") {
			// A wildcard rule names no host a browser could open.
			return
		}
		scheme := "http://"
		if hasTLS(ing, host) {
			scheme = "https://"
		}
		routes = append(routes, IngressRoute{Ingress: ing.Name, Origin: scheme + host})
	}
	if b := ing.Spec.DefaultBackend; b != nil && backsService(*b, svc) {
		add("")
	}
	for _, rule := range ing.Spec.Rules {
		if rule.HTTP == nil {
			continue
		}
		for _, p := range rule.HTTP.Paths {
			if backsService(p.Backend, svc) {
				add(rule.Host)
				break
			}
		}
	}
	return routes
}

// backsService tells whether an Ingress backend sends traffic to one of svc's ports.
func backsService(b networkingv1.IngressBackend, svc *corev1.Service) bool {
	if b.Service == nil || b.Service.Name != svc.Name {
		return false
	}
	for _, p := range svc.Spec.Ports {
		if b.Service.Port.Name != "" && b.Service.Port.Name == p.Name || b.Service.Port.Number == p.Port {
			return true
		}
	}
	return false
}

// hasTLS tells whether the Ingress terminates TLS for host (a TLS entry without hosts covers all).
func hasTLS(ing *networkingv1.Ingress, host string) bool {
	for _, t := range ing.Spec.TLS {
		if len(t.Hosts) == 0 {
			return true
		}
		for _, h := range t.Hosts {
			if h == host || wildcardMatch(h, host) {
				return true
			}
		}
	}
	return false
}

func wildcardMatch(pattern, host string) bool {
	suffix, ok := strings.CutPrefix(pattern, "*")
	if !ok || !strings.HasPrefix(suffix, ".") {
		return false
	}
	label, ok := strings.CutSuffix(host, suffix)
	return ok && label != "" && !strings.Contains(label, ".")
}

func loadBalancerHost(ing *networkingv1.Ingress) string {
	for _, lb := range ing.Status.LoadBalancer.Ingress {
		if lb.Hostname != "" {
			return lb.Hostname
		}
		if lb.IP != "" {
			if strings.Contains(lb.IP, ":") {
				return "[" + lb.IP + "]"
			}
			return lb.IP
		}
	}
	return ""
}
