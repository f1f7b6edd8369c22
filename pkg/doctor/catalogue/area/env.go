// Package area holds what every area of doctor's catalogue shares: the Env a run looks at the cluster
// with, the hint placeholders every check may use, and how a check says it could not look.
package area

import (
	"cmp"
	"context"
	"net"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// Env is what the fact producers look at the cluster with. It is built once per run and never
// changed during it.
type Env struct {
	Kube    kubernetes.Interface
	Dynamic dynamic.Interface
	// Dialer opens connections to pod ports (a port-forward), for the live TLS checks.
	Dialer PodDialer
	// Server is the API server URL of the kubeconfig, for messages.
	Server string
	// Namespace is where Headlamp runs; HeadlampName selects its Deployment ("" finds it by label).
	Namespace    string
	HeadlampName string
	// Proxy is where capsule-proxy runs.
	Proxy ProxyRef
	// AuthConfig is the API server's --authentication-config file given with --authentication-config.
	AuthConfig *AuthConfigFile
	// LookupHost resolves the IdP's host name, for the network policy checks; nil uses the system resolver.
	LookupHost func(ctx context.Context, host string) ([]string, error)
}

// Resolve resolves a host name with LookupHost, else the system resolver.
func (e Env) Resolve(ctx context.Context, host string) ([]string, error) {
	if e.LookupHost != nil {
		return e.LookupHost(ctx, host)
	}
	return net.DefaultResolver.LookupHost(ctx, host)
}

// ProxyRef names capsule-proxy's Service and serving-certificate Secret.
type ProxyRef struct {
	Namespace string
	Service   string
	Secret    string
}

// DNSName is the name clients use inside the cluster, one of capsule-proxy's default SANs.
func (p ProxyRef) DNSName() string { return p.Service + "." + p.Namespace + ".svc" }

// AuthConfigFile is an AuthenticationConfiguration file as given by the user.
type AuthConfigFile struct {
	Path string
	Data []byte
}

// PodDialer opens a stream to a port of a pod, through the API server (a port-forward).
type PodDialer interface {
	DialPod(ctx context.Context, namespace, pod string, port int) (net.Conn, error)
}

// HintVars are the placeholders every hint may use.
func (e Env) HintVars() map[string]string {
	return map[string]string{
		"namespace":       e.Namespace,
		"proxy-namespace": e.Proxy.Namespace,
		"proxy-service":   e.Proxy.Service,
		"proxy-secret":    e.Proxy.Secret,
		"deployment":      cmp.Or(e.HeadlampName, "headlamp"),
	}
}
