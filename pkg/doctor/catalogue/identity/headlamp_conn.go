package identity

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// probeHost is the Host the live probes send: the guide's `kubectl port-forward 8080:80`, so that
// Headlamp's default redirect URI is DefaultRedirectURL. Headlamp in a pod accepts any Host.
const probeHost = "localhost:8080"

// HeadlampConn reaches one ready Headlamp pod through a port-forward, as a browser reaches Headlamp.
type HeadlampConn struct {
	Namespace, Pod string
	Port           int
	// Base is Headlamp's base URL path ("" or "/x"); Cluster its in-cluster context name.
	Base, Cluster string
	// CallbackURL is -oidc-callback-url ("" for Headlamp's default from the request).
	CallbackURL string
	// Container is the Headlamp container, whose log doctor reads.
	Container string
	// ProxyService is capsule-proxy's Service as read (nil when it could not be), which Headlamp should proxy to.
	ProxyService *corev1.Service
	Client       *http.Client
}

// errNoHeadlampPod is a run without a ready Headlamp pod to probe: HEADLAMP-READY says why.
var errNoHeadlampPod = errors.New("no running, ready Headlamp pod to probe (see HEADLAMP-READY)")

// headlampConnFact picks a ready Headlamp pod and the client that reaches it over a port-forward. In a
// run of the identity checks alone there is no Deployment to probe.
func headlampConnFact(alone bool) engine.Fact {
	if alone {
		f := engine.Define(idHeadlampConn, nil, func(context.Context, engine.Facts) (*HeadlampConn, error) { return nil, errNoHeadlampPod })
		f.Absent = errNoHeadlampPod
		return f
	}
	needs := names(proxy.FactDialer, headlampview.FactPods, headlampview.FactModel, proxy.FactService)
	return engine.Define(idHeadlampConn, needs, func(_ context.Context, in engine.Facts) (*HeadlampConn, error) {
		d, err := proxy.FactDialer.Get(in)
		if err != nil {
			return nil, err
		}
		m, err := headlampview.FactModel.Get(in)
		if err != nil {
			return nil, err
		}
		pods, err := headlampview.FactPods.Get(in)
		if err != nil {
			return nil, err
		}
		pod, ok := readyPod(pods)
		if !ok {
			return nil, errNoHeadlampPod
		}
		c := &HeadlampConn{Namespace: pod.Namespace, Pod: pod.Name, Port: podPort(pod), Base: m.Settings.BaseURL,
			Cluster: cmp.Or(m.Settings.InClusterContextName, headlamp.DefaultInClusterContextName), CallbackURL: m.Settings.OIDC.CallbackURL}
		c.Client = podClient(d, c.Namespace, c.Pod, c.Port)
		c.ProxyService, _ = proxy.FactService.Get(in) // its own checks say why it is missing
		if len(pod.Spec.Containers) > 0 {
			c.Container = pod.Spec.Containers[0].Name
		}
		return c, nil
	})
}

// readyPod is the first running, ready pod not being deleted.
func readyPod(pods []corev1.Pod) (corev1.Pod, bool) {
	for _, p := range pods {
		if p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning && kube.IsPodReady(&p) {
			return p, true
		}
	}
	return corev1.Pod{}, false
}

// podPort is the pod's port named as install names it, else its first, else Headlamp's default.
func podPort(p corev1.Pod) int {
	first := 0
	for _, c := range p.Spec.Containers {
		for _, port := range c.Ports {
			if port.Name == headlamp.PortName {
				return int(port.ContainerPort)
			}
			if first == 0 {
				first = int(port.ContainerPort)
			}
		}
	}
	return cmp.Or(first, headlamp.ContainerPort)
}

// podClient is an HTTP client whose every connection is a port-forward to the pod; it follows no redirect.
func podClient(d area.PodDialer, ns, pod string, port int) *http.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			conn, err := d.DialPod(ctx, ns, pod, port)
			if err != nil {
				return nil, area.WrapAccess(area.Access{Verb: "create", Resource: "pods", Subresource: "portforward", Namespace: ns, Name: pod},
					fmt.Errorf("port-forward to Headlamp pod %s/%s port %d: %w", ns, pod, port, err))
			}
			return conn, nil
		},
		DisableKeepAlives: true, ResponseHeaderTimeout: 20 * time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request to Headlamp with the probe's Host and returns its answer (a body of at most 64 KiB).
func (c *HeadlampConn) do(ctx context.Context, method, path, bearer string, body io.Reader) (probeAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+net.JoinHostPort(c.Pod, strconv.Itoa(c.Port))+c.Base+path, body)
	if err != nil {
		return probeAnswer{}, err
	}
	req.Host = probeHost
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return probeAnswer{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return probeAnswer{Status: resp.StatusCode, Header: resp.Header, Body: strings.TrimSpace(string(data))}, err
}
