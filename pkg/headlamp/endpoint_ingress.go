package headlamp

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// IngressEndpoints returns the ways to svc through ings: each rule whose path sends traffic to the
// Service (or a default backend that does), on its host name, or else on the load balancer address
// the controller published. Hosts with TLS come first, then Ingress names in order.
func IngressEndpoints(ings []networkingv1.Ingress, svc *corev1.Service) []Endpoint {
	var eps []Endpoint
	for i := range ings {
		eps = append(eps, ingressEndpoints(&ings[i], svc)...)
	}
	sort.SliceStable(eps, func(i, j int) bool {
		ti, tj := eps[i].HTTPS(), eps[j].HTTPS()
		if ti != tj {
			return ti
		}
		return eps[i].Name < eps[j].Name
	})
	return eps
}

func ingressEndpoints(ing *networkingv1.Ingress, svc *corev1.Service) []Endpoint {
	var eps []Endpoint
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
		eps = append(eps, Endpoint{Kind: KindIngress, Name: ing.Name, Origin: scheme + host})
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
	return eps
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
