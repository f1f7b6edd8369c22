package stack

import (
	"errors"
	"net"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

func proxyEndpoints(ready bool) *discoveryv1.EndpointSlice {
	return &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-x", Namespace: CapsuleNamespace,
			Labels: map[string]string{discoveryv1.LabelServiceName: ProxyServiceName}},
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("proxy"), Port: ptr.To(int32(ProxyPort))}},
		Endpoints: []discoveryv1.Endpoint{{Conditions: discoveryv1.EndpointConditions{Ready: &ready},
			TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: CapsuleNamespace, Name: "capsule-proxy-1"}}},
	}
}

func TestClusterAddr(t *testing.T) {
	services := []*corev1.Service{
		{ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default"},
			Spec: corev1.ServiceSpec{ClusterIP: "10.0.0.1", Ports: []corev1.ServicePort{{Port: 443}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: ProxyServiceName, Namespace: CapsuleNamespace},
			Spec: corev1.ServiceSpec{ClusterIP: "10.0.0.9", Ports: []corev1.ServicePort{{Name: "proxy", Port: 9001}}}},
	}
	for _, tc := range []struct {
		name, host string
		port       int
		ready      bool
		want       string
		wantErr    error
	}{
		{"kubernetes by IP", "10.0.0.1", 443, true, addr(APIServerPort), nil},
		{"proxy by name", "capsule-proxy.capsule-system.svc", 9001, true, addr(ProxyPort), nil},
		{"proxy by cluster domain", "capsule-proxy.capsule-system.svc.cluster.local", 9001, true, addr(ProxyPort), nil},
		{"proxy not ready", "capsule-proxy.capsule-system.svc", 9001, false, "", syscall.ECONNREFUSED},
		{"wrong port", "capsule-proxy.capsule-system.svc", 443, true, "", syscall.ECONNREFUSED},
		{"plain address", "127.0.0.1", 5556, true, "127.0.0.1:5556", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Stack{kube: fake.NewClientset(services[0], services[1], proxyEndpoints(tc.ready))}
			got, err := s.clusterAddr(t.Context(), tc.host, tc.port)
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Errorf("clusterAddr(%s:%d) = %q, %v; want %q, %v", tc.host, tc.port, got, err, tc.want, tc.wantErr)
			}
		})
	}
	s := &Stack{kube: fake.NewClientset()}
	var dnsErr *net.DNSError
	if _, err := s.clusterAddr(t.Context(), "gone.capsule-system.svc", 9001); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("unknown Service: %v, want no such host", err)
	}
}

func TestStandinContainer(t *testing.T) {
	for image, want := range map[string]string{
		"ghcr.io/headlamp-k8s/headlamp:v0.45.0":         imageHeadlamp,
		"registry:5000/mirror/headlamp@sha256:abc":      imageHeadlamp,
		"ghcr.io/projectcapsule/capsule-proxy:v0.14.0":  imageProxy,
		"registry.invalid/web:1":                        "",
		"ghcr.io/headlamp-k8s/headlamp-plugin-loader:1": "",
	} {
		p := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "sidecar", Image: "alpine:3"}, {Name: "main", Image: image}}}}
		if c, got := standinContainer(p); got != want || (want != "" && c.Name != "main") {
			t.Errorf("%s: %q in container %q, want %q", image, got, c.Name, want)
		}
	}
}
