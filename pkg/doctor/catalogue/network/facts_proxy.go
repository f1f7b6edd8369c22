package network

import (
	"context"
	"fmt"
	"net"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// FactProxy are capsule-proxy's ready pods, on the pod port behind the Service port Headlamp uses.
const FactProxy engine.Key[[]Target] = "network-proxy-pods"

func proxyFact(env area.Env) engine.Fact {
	deps := []engine.FactName{proxy.FactService.Name(), proxy.FactEndpoints.Name(), headlampview.FactView.Name()}
	return engine.Define(FactProxy, deps, func(ctx context.Context, in engine.Facts) ([]Target, error) {
		eps, portName, err := proxy.HeadlampEndpoints(in)
		if err != nil {
			return nil, err
		}
		svc, err := proxy.FactService.Get(in)
		if err != nil {
			return nil, err
		}
		var out []Target
		for _, ep := range eps {
			t := Target{Name: fmt.Sprintf("capsule-proxy's pod %s (%s)", ep.Pod, ep.IP), Protocol: corev1.ProtocolTCP,
				Port: int32(ep.Port), PortName: portName} //nolint:gosec // a pod port fits
			pod, err := env.Kube.CoreV1().Pods(svc.Namespace).Get(ctx, ep.Pod, metav1.GetOptions{})
			if err != nil {
				// The pod carries at least the labels its Service selects it by.
				t.Assumed = fmt.Sprintf("cannot read pod %s/%s (%v): judged by the labels its Service selects", svc.Namespace, ep.Pod, err)
				pod = &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: svc.Namespace, Labels: svc.Spec.Selector}}
			}
			t.To = podTarget(ctx, env, pod)
			if t.To.IP == nil {
				t.To.IP = net.ParseIP(ep.IP)
			}
			out = append(out, t)
		}
		return out, nil
	})
}
