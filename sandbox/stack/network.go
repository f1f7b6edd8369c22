package stack

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// dialCluster connects the way a pod on the KWOK node would: a Service name
// (<service>.<namespace>[.svc[.cluster.local]]) or a Service's cluster IP goes to a ready endpoint of
// the Service, which is a stand-in's address; the kubernetes Service goes to the API server; any
// other address is dialled as it is. An unknown Service name does not resolve, and a Service
// without a ready endpoint refuses the connection, as kube-proxy does.
func (s *Stack) dialCluster(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, _ := strconv.Atoi(portStr)
	target, err := s.clusterAddr(ctx, host, port)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, target)
}

func (s *Stack) clusterAddr(ctx context.Context, host string, port int) (string, error) {
	svc, err := s.serviceFor(ctx, host)
	if err != nil || svc == nil {
		return net.JoinHostPort(host, strconv.Itoa(port)), err
	}
	if svc.Namespace == "default" && svc.Name == "kubernetes" {
		return addr(APIServerPort), nil
	}
	for _, sp := range svc.Spec.Ports {
		if int(sp.Port) == port {
			if a := s.endpointAddr(ctx, svc, sp); a != "" {
				return a, nil
			}
		}
	}
	return "", os.NewSyscallError("connect", syscall.ECONNREFUSED)
}

// serviceFor finds the Service a host names (nil: not a cluster name, dial as is).
func (s *Stack) serviceFor(ctx context.Context, host string) (*corev1.Service, error) {
	if ip := net.ParseIP(host); ip != nil {
		list, err := s.kube.CoreV1().Services("").List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("look up cluster IP %s: %w", host, err)
		}
		for i := range list.Items {
			if list.Items[i].Spec.ClusterIP == host {
				return &list.Items[i], nil
			}
		}
		return nil, nil
	}
	name := strings.TrimSuffix(strings.TrimSuffix(host, ".cluster.local"), ".svc")
	parts := strings.Split(name, ".")
	if len(parts) != 2 {
		return nil, nil
	}
	svc, err := s.kube.CoreV1().Services(parts[1]).Get(ctx, parts[0], metav1.GetOptions{})
	if err != nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return svc, nil
}

// endpointAddr is where a ready endpoint of the Service port is served in the sandbox.
func (s *Stack) endpointAddr(ctx context.Context, svc *corev1.Service, sp corev1.ServicePort) string {
	slices, err := s.kube.DiscoveryV1().EndpointSlices(svc.Namespace).List(ctx,
		metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc.Name})
	if err != nil {
		return ""
	}
	for _, sl := range slices.Items {
		for _, p := range sl.Ports {
			if p.Port == nil || (p.Name != nil && *p.Name != sp.Name) {
				continue
			}
			for _, ep := range sl.Endpoints {
				if ep.Conditions.Ready != nil && *ep.Conditions.Ready && ep.TargetRef != nil && ep.TargetRef.Kind == "Pod" {
					if a := s.podPortAddr(ep.TargetRef.Namespace, ep.TargetRef.Name, int(*p.Port)); a != "" {
						return a
					}
				}
			}
		}
	}
	return ""
}

// podPortAddr is where a pod's port is served: the proxy stand-in, or that pod's Headlamp container.
func (s *Stack) podPortAddr(ns, pod string, port int) string {
	if port == ProxyPort {
		return addr(ProxyPort)
	}
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.hl {
		if h.key.Namespace == ns && h.key.Name == pod && h.srv.Port() == port {
			return h.srv.Addr()
		}
	}
	return ""
}
