package login

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

func backend(svc string, port networkingv1.ServiceBackendPort) networkingv1.IngressBackend {
	return networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: port}}
}

func ingress(name, host string, b networkingv1.IngressBackend, tls ...networkingv1.IngressTLS) networkingv1.Ingress {
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

func TestFindIngress(t *testing.T) {
	byNumber := backend("headlamp", networkingv1.ServiceBackendPort{Number: 80})
	byName := backend("headlamp", networkingv1.ServiceBackendPort{Name: "http"})
	withLB := ingress("lb", "", byNumber)
	withLB.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{IP: "192.0.2.10"}}
	defaultOnly := networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "default"},
		Spec: networkingv1.IngressSpec{DefaultBackend: &byName}}
	defaultOnly.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{Hostname: "lb.example.com"}}
	tests := []struct {
		name string
		ings []networkingv1.Ingress
		want IngressRoute
		ok   bool
	}{
		{"plain http", []networkingv1.Ingress{ingress("a", "h.example.com", byNumber)},
			IngressRoute{"a", "http://h.example.com"}, true},
		{"TLS for the host wins over an earlier name", []networkingv1.Ingress{
			ingress("a", "h.example.com", byNumber),
			ingress("b", "s.example.com", byName, networkingv1.IngressTLS{Hosts: []string{"s.example.com"}}),
		}, IngressRoute{"b", "https://s.example.com"}, true},
		{"wildcard TLS host", []networkingv1.Ingress{
			ingress("a", "h.example.com", byNumber, networkingv1.IngressTLS{Hosts: []string{"*.example.com"}}),
		}, IngressRoute{"a", "https://h.example.com"}, true},
		{"TLS for another host only", []networkingv1.Ingress{
			ingress("a", "h.example.com", byNumber, networkingv1.IngressTLS{Hosts: []string{"x.example.com"}}),
		}, IngressRoute{"a", "http://h.example.com"}, true},
		{"no host: the load balancer address", []networkingv1.Ingress{withLB}, IngressRoute{"lb", "http://192.0.2.10"}, true},
		{"default backend", []networkingv1.Ingress{defaultOnly}, IngressRoute{"default", "http://lb.example.com"}, true},
		{"other service", []networkingv1.Ingress{ingress("a", "h.example.com", backend("grafana", networkingv1.ServiceBackendPort{Number: 80}))}, IngressRoute{}, false},
		{"other port", []networkingv1.Ingress{ingress("a", "h.example.com", backend("headlamp", networkingv1.ServiceBackendPort{Number: 8443}))}, IngressRoute{}, false},
		{"wildcard rule host cannot be opened", []networkingv1.Ingress{ingress("a", "*.example.com", byNumber)}, IngressRoute{}, false},
		{"no host and no address yet", []networkingv1.Ingress{ingress("a", "", byNumber)}, IngressRoute{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindIngress(tt.ings, headlampSvc)
			if got != tt.want || ok != tt.ok {
				t.Errorf("FindIngress() = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
