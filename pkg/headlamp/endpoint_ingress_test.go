package headlamp

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var headlampSvc = &corev1.Service{
	ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "capsule-system"},
	Spec:       corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
}

func backendTo(svc string, port networkingv1.ServiceBackendPort) networkingv1.IngressBackend {
	return networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: port}}
}

func ingressTo(name, host string, b networkingv1.IngressBackend, tls ...networkingv1.IngressTLS) networkingv1.Ingress {
	return networkingv1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: networkingv1.IngressSpec{TLS: tls, Rules: []networkingv1.IngressRule{{
			Host: host,
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{Path: "/", Backend: b}},
			}},
		}}},
	}
}

func TestIngressEndpoints(t *testing.T) {
	byNumber := backendTo("headlamp", networkingv1.ServiceBackendPort{Number: 80})
	byName := backendTo("headlamp", networkingv1.ServiceBackendPort{Name: "http"})
	withLB := ingressTo("lb", "", byNumber)
	withLB.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{IP: "192.0.2.10"}}
	defaultOnly := networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "default"},
		Spec: networkingv1.IngressSpec{DefaultBackend: &byName}}
	defaultOnly.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{Hostname: "lb.example.com"}}
	tests := []struct {
		name string
		ings []networkingv1.Ingress
		want Endpoint
		ok   bool
	}{
		{"plain http", []networkingv1.Ingress{ingressTo("a", "h.example.com", byNumber)},
			Endpoint{Kind: KindIngress, Name: "a", Origin: "http://h.example.com"}, true},
		{"TLS for the host wins over an earlier name", []networkingv1.Ingress{
			ingressTo("a", "h.example.com", byNumber),
			ingressTo("b", "s.example.com", byName, networkingv1.IngressTLS{Hosts: []string{"s.example.com"}}),
		}, Endpoint{Kind: KindIngress, Name: "b", Origin: "https://s.example.com"}, true},
		{"wildcard TLS host", []networkingv1.Ingress{
			ingressTo("a", "h.example.com", byNumber, networkingv1.IngressTLS{Hosts: []string{"*.example.com"}}),
		}, Endpoint{Kind: KindIngress, Name: "a", Origin: "https://h.example.com"}, true},
		{"TLS for another host only", []networkingv1.Ingress{
			ingressTo("a", "h.example.com", byNumber, networkingv1.IngressTLS{Hosts: []string{"x.example.com"}}),
		}, Endpoint{Kind: KindIngress, Name: "a", Origin: "http://h.example.com"}, true},
		{"no host: the load balancer address", []networkingv1.Ingress{withLB}, Endpoint{Kind: KindIngress, Name: "lb", Origin: "http://192.0.2.10"}, true},
		{"default backend", []networkingv1.Ingress{defaultOnly}, Endpoint{Kind: KindIngress, Name: "default", Origin: "http://lb.example.com"}, true},
		{"other service", []networkingv1.Ingress{ingressTo("a", "h.example.com", backendTo("grafana", networkingv1.ServiceBackendPort{Number: 80}))}, Endpoint{}, false},
		{"other port", []networkingv1.Ingress{ingressTo("a", "h.example.com", backendTo("headlamp", networkingv1.ServiceBackendPort{Number: 8443}))}, Endpoint{}, false},
		{"wildcard rule host cannot be opened", []networkingv1.Ingress{ingressTo("a", "*.example.com", byNumber)}, Endpoint{}, false},
		{"no host and no address yet", []networkingv1.Ingress{ingressTo("a", "", byNumber)}, Endpoint{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eps := IngressEndpoints(tt.ings, headlampSvc)
			if len(eps) > 0 != tt.ok || tt.ok && eps[0] != tt.want {
				t.Errorf("IngressEndpoints() = %+v; want first %+v", eps, tt.want)
			}
		})
	}
}
