package headlamp

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
)

// service exposes port 80 like the chart, so port-forward 8080:80 from the guides works unchanged.
func service(s Settings) *corev1ac.ServiceApplyConfiguration {
	return corev1ac.Service(s.Name, s.Namespace).
		WithLabels(Labels(s)).
		WithSpec(corev1ac.ServiceSpec().
			WithType(corev1.ServiceTypeClusterIP).
			WithSelector(SelectorLabels(s)).
			WithPorts(corev1ac.ServicePort().WithName(PortName).WithPort(ServicePort).
				WithTargetPort(intstr.FromString(PortName)).WithProtocol(corev1.ProtocolTCP)))
}

func ingress(s Settings) *networkingv1ac.IngressApplyConfiguration {
	in := s.Ingress
	path := s.BaseURL
	if path == "" {
		path = "/"
	}
	spec := networkingv1ac.IngressSpec().WithRules(networkingv1ac.IngressRule().
		WithHost(in.Host).
		WithHTTP(networkingv1ac.HTTPIngressRuleValue().WithPaths(networkingv1ac.HTTPIngressPath().
			WithPath(path).
			WithPathType(networkingv1.PathTypePrefix).
			WithBackend(networkingv1ac.IngressBackend().WithService(networkingv1ac.IngressServiceBackend().
				WithName(s.Name).
				WithPort(networkingv1ac.ServiceBackendPort().WithName(PortName)))))))
	if in.ClassName != "" {
		spec.WithIngressClassName(in.ClassName)
	}
	if in.TLSSecret != "" {
		spec.WithTLS(networkingv1ac.IngressTLS().WithHosts(in.Host).WithSecretName(in.TLSSecret))
	}
	return networkingv1ac.Ingress(s.Name, s.Namespace).WithLabels(Labels(s)).WithSpec(spec)
}
