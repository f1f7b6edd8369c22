package proxy

import (
	"bytes"
	"context"
	"crypto/x509"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// The facts about capsule-proxy.
const (
	FactEndpoints engine.Key[[]Endpoint] = "proxy-endpoints"
	FactSecret    engine.Key[Secret]     = "proxy-secret"
	// FactService is capsule-proxy's Service, read once by proxyview.
	FactService = proxyview.FactService
)

// Endpoint is a ready pod behind the proxy Service, with the pod port the Service forwards to.
type Endpoint struct {
	Pod  string
	IP   string
	Port int // behind the Service's first port, until onPort picks the one Headlamp uses
	// Ports are the pod ports behind each Service port, by the Service port's name ("" when unnamed).
	Ports map[string]int
}

// Secret is capsule-proxy's serving certificate as stored in its Secret.
type Secret struct {
	Name, Namespace string
	// CAKey is the key holding the CA: "ca.crt" (cert-manager), "ca" (certgen Job) or "" (none).
	CAKey string
	CA    []*x509.Certificate
	CAErr error // the CA key's content did not parse
	// Chain is tls.crt: the serving certificate and any intermediates.
	Chain    []*x509.Certificate
	ChainErr error
	Keys     []string
	// DataChanged is when the Secret's data last changed, from its managedFields (else its creation):
	// a pod started before it may hold what the Secret held before.
	DataChanged time.Time
}

// caKeys are the keys a capsule-proxy Secret keeps its CA under, in order of preference.
var caKeys = []string{"ca.crt", "ca"}

// Facts are the facts of the capsule-proxy checks, read with env.
func Facts(env area.Env) []engine.Fact {
	return slices.Concat(objectFacts(env), crdFacts(env), dialerFacts(env), []engine.Fact{settingsFact(env)})
}

func objectFacts(env area.Env) []engine.Fact {
	p := env.Proxy
	return []engine.Fact{
		engine.Define(FactEndpoints, []engine.FactName{FactService.Name()}, func(ctx context.Context, in engine.Facts) ([]Endpoint, error) {
			svc, err := FactService.Get(in)
			if err != nil {
				return nil, err
			}
			return readyEndpoints(ctx, env, svc)
		}),
		engine.Define(FactSecret, nil, func(ctx context.Context, _ engine.Facts) (Secret, error) {
			sec, err := env.Kube.CoreV1().Secrets(p.Namespace).Get(ctx, p.Secret, metav1.GetOptions{})
			if err != nil {
				return Secret{}, area.WrapAccess(area.Access{Verb: "get", Resource: "secrets", Namespace: p.Namespace, Name: p.Secret}, err)
			}
			return readProxySecret(sec), nil
		}),
	}
}

// readyEndpoints lists the ready pods of the Service's EndpointSlices, with the pod port behind each
// Service port.
func readyEndpoints(ctx context.Context, env area.Env, svc *corev1.Service) ([]Endpoint, error) {
	sel := discoveryv1.LabelServiceName + "=" + svc.Name
	list, err := env.Kube.DiscoveryV1().EndpointSlices(svc.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, area.WrapAccess(area.Access{Verb: "list", Group: "discovery.k8s.io", Resource: "endpointslices", Namespace: svc.Namespace}, err)
	}
	firstName := ""
	if len(svc.Spec.Ports) > 0 {
		firstName = svc.Spec.Ports[0].Name
	}
	var out []Endpoint
	for _, slice := range list.Items {
		ports := slicePorts(slice)
		for _, ep := range slice.Endpoints {
			if ep.Conditions.Ready != nil && !*ep.Conditions.Ready || ep.TargetRef == nil || ep.TargetRef.Kind != "Pod" || len(ports) == 0 {
				continue
			}
			out = append(out, Endpoint{Pod: ep.TargetRef.Name, IP: first(ep.Addresses), Port: ports[firstName], Ports: ports})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pod < out[j].Pod })
	return out, nil
}

// slicePorts maps the slice's port names (those of the Service's ports) to pod ports.
func slicePorts(s discoveryv1.EndpointSlice) map[string]int {
	out := map[string]int{}
	for _, p := range s.Ports {
		if p.Port == nil {
			continue
		}
		name := ""
		if p.Name != nil {
			name = *p.Name
		}
		out[name] = int(*p.Port)
	}
	return out
}

// onPort returns the endpoints with Port set to the pod port behind the Service port named name,
// leaving out the endpoints that have none.
func onPort(eps []Endpoint, name string) []Endpoint {
	var out []Endpoint
	for _, ep := range eps {
		if p := ep.Ports[name]; p != 0 {
			ep.Port = p
			out = append(out, ep)
		}
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func readProxySecret(sec *corev1.Secret) Secret {
	ps := Secret{Name: sec.Name, Namespace: sec.Namespace}
	for k := range sec.Data {
		ps.Keys = append(ps.Keys, k)
	}
	sort.Strings(ps.Keys)
	for _, k := range caKeys {
		if data, ok := sec.Data[k]; ok {
			ps.CAKey = k
			ps.CA, ps.CAErr = trust.ParseBundle(data)
			break
		}
	}
	ps.Chain, ps.ChainErr = trust.ParseBundle(sec.Data[corev1.TLSCertKey])
	ps.DataChanged = dataChanged(sec.ObjectMeta)
	return ps
}

// dataChanged is the latest time a field manager set the object's data, else its creation time.
func dataChanged(m metav1.ObjectMeta) time.Time {
	t := m.CreationTimestamp.Time
	for _, e := range m.ManagedFields {
		if e.Time != nil && e.FieldsV1 != nil && bytes.Contains(e.FieldsV1.GetRawBytes(), []byte(`"f:data"`)) && e.Time.After(t) {
			t = e.Time.Time
		}
	}
	return t
}

// ServicePort is the Service's port numbered port: a client may use any of them.
func ServicePort(svc *corev1.Service, port int32) (corev1.ServicePort, bool) {
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			return p, true
		}
	}
	return corev1.ServicePort{}, false
}

// NamesService reports whether host resolves to the Service: its short, namespaced or cluster DNS name,
// or its cluster IP.
func NamesService(host string, svc *corev1.Service) bool {
	base := svc.Name + "." + svc.Namespace
	switch {
	case host == svc.Name, host == base, host == base+".svc", strings.HasPrefix(host, base+".svc."):
		return true
	case svc.Spec.ClusterIP != "" && host == svc.Spec.ClusterIP:
		return true
	}
	return false
}

// headlampPortName names the Service port Headlamp reaches capsule-proxy on (by its
// KUBERNETES_SERVICE_PORT), else the Service's first port: the endpoints' pod port is the one behind it.
func headlampPortName(f engine.Facts) string {
	svc, err := FactService.Get(f)
	if err != nil || len(svc.Spec.Ports) == 0 {
		return ""
	}
	if h, err := headlampview.Get(f, headlamp.SettingAPIPort); err == nil {
		if p, ok := ServicePort(svc, h.APIPort); ok {
			return p.Name
		}
	}
	return svc.Spec.Ports[0].Name
}

// HeadlampEndpoints are the ready capsule-proxy pods with Port set to the pod port behind the Service
// port Headlamp connects to, and that port's name in the pods ("" when the Service names a number).
// It needs FactService, FactEndpoints and headlampview.FactView.
func HeadlampEndpoints(f engine.Facts) ([]Endpoint, string, error) {
	eps, err := FactEndpoints.Get(f)
	if err != nil {
		return nil, "", err
	}
	name := headlampPortName(f)
	portName := ""
	if svc, err := FactService.Get(f); err == nil {
		for _, p := range svc.Spec.Ports {
			if p.Name == name && p.TargetPort.Type == intstr.String {
				portName = p.TargetPort.StrVal
			}
		}
	}
	return onPort(eps, name), portName, nil
}
