// Package doctortest holds doctor's test fakes: a fake cluster with a healthy Capsule + capsule-proxy
// + Headlamp setup to break on purpose, an in-memory capsule-proxy behind a fake port-forward, a user's
// cluster that answers reviews from the token's claims, and an API server that never answers.
package doctortest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// World is a fake cluster with a healthy Capsule + capsule-proxy + Headlamp setup, to break on purpose.
type World struct {
	IDP        *oidctest.IDP
	CA, Leaf   trusttest.Pair
	Settings   headlamp.Settings // Headlamp's, as install would write them
	SecretData map[string][]byte // capsule-proxy's certificate Secret
	Objects    []runtime.Object  // more objects in the cluster
	Reactors   func(*fake.Clientset)
	ServeCert  *trusttest.Pair // what the proxy pod serves; nil: Leaf
	Hang       bool            // the proxy pod accepts connections and never answers
	// Rollout is the Headlamp Deployment's status; nil: rolled out.
	Rollout *appsv1.DeploymentStatus
	// Deployment, when set, changes the Headlamp Deployment install would write (its strategy, say).
	Deployment func(*appsv1.Deployment)
	// MetricsFirst puts a metrics port before the proxy port on the Service and its endpoints; the
	// proxy pod then answers on the proxy port only.
	MetricsFirst bool
	// NoProxyCRDs leaves capsule-proxy's own kinds out of the API's discovery.
	NoProxyCRDs bool
	// Headlamp answers for the Headlamp pod instead of a healthy Headlamp, when set.
	Headlamp http.Handler
	// ProxyArgs are the capsule-proxy container's args; nil: HealthyProxyArgs.
	ProxyArgs []string
	// DynamicObjects are more objects for the dynamic client (CapsuleConfigurations, ProxySettings).
	DynamicObjects []*unstructured.Unstructured
}

// NewWorld is a healthy setup: Headlamp as install writes it, capsule-proxy with a certificate its CA
// signed for its Service names, an IdP with a CA of its own, Capsule with one users group.
func NewWorld(t testing.TB) *World {
	ca := trusttest.NewCA(t, "proxy-ca")
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy", "capsule-proxy.capsule-system.svc"}})
	idp := oidctest.New(t)
	s := headlamp.New("capsule-system")
	s.OIDC.IssuerURL = idp.Issuer
	s.OIDC.Scopes = []string{"profile", "email", "groups", "offline_access"}
	s.OIDC.CA = &headlamp.CA{From: headlamp.KeyRef{Kind: headlamp.KindConfigMap, Name: headlamp.IDPCAConfigMapName(s.Name), Key: headlamp.CAKey},
		Trust: headlamp.TrustAppend, Path: headlamp.IDPCADir}
	s.TrustProxyCA(headlamp.CAKey, nil)
	return &World{IDP: idp, CA: ca, Leaf: leaf, Settings: s,
		SecretData: map[string][]byte{"tls.crt": leaf.CertPEM(), "tls.key": leaf.KeyPEM(), "ca.crt": ca.CertPEM()}}
}

// HeadlampObjects are the Deployment, OIDC ConfigMap and Secret install would create for the settings,
// and its NetworkPolicy when the settings have one.
func (w *World) HeadlampObjects(t testing.TB) []runtime.Object {
	o, err := headlamp.Build(w.Settings, headlamp.Material{ClientSecret: oidctest.ClientSecret, ProxyCA: w.CA.CertPEM(), IDPCA: w.IDP.CAPEM()})
	if err != nil {
		t.Fatal(err)
	}
	var dep appsv1.Deployment
	var sec corev1.Secret
	var idpCA, settings corev1.ConfigMap
	convert(t, o.Deployment, &dep)
	convert(t, o.Secret, &sec)
	convert(t, o.IDPCA, &idpCA)
	convert(t, o.OIDCConfig, &settings)
	n := *dep.Spec.Replicas
	dep.Status = appsv1.DeploymentStatus{Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n}
	if w.Rollout != nil {
		dep.Status = *w.Rollout
	}
	if w.Deployment != nil {
		w.Deployment(&dep)
	}
	objs := []runtime.Object{&dep, &sec, &idpCA, &settings}
	if o.NetworkPolicy != nil {
		var np networkingv1.NetworkPolicy
		convert(t, o.NetworkPolicy, &np)
		objs = append(objs, &np)
	}
	return objs
}

func convert(t testing.TB, from, to any) {
	data, err := json.Marshal(from)
	if err == nil {
		err = json.Unmarshal(data, to)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// ProxyLabels are the labels of capsule-proxy's pods (as its Helm chart sets them), which its Service
// and Deployment select.
var ProxyLabels = map[string]string{"app.kubernetes.io/name": "capsule-proxy", "app.kubernetes.io/component": "proxy"}

// Env is the world as doctor looks at it: fake clients, the fake port-forward, its namespaces.
func (w *World) Env(t testing.TB) area.Env {
	ns := "capsule-system"
	ready, port, portName := true, int32(9001), "proxy"
	svcPorts := []corev1.ServicePort{{Name: "proxy", Port: 9001}}
	slicePorts := []discoveryv1.EndpointPort{{Name: &portName, Port: &port}}
	if w.MetricsFirst {
		metricsPort, metricsName := int32(8080), "metrics"
		svcPorts = append([]corev1.ServicePort{{Name: metricsName, Port: 8080}}, svcPorts...)
		slicePorts = append([]discoveryv1.EndpointPort{{Name: &metricsName, Port: &metricsPort}}, slicePorts...)
	}
	objs := append(w.HeadlampObjects(t),
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns,
			CreationTimestamp: metav1.NewTime(time.Now().Add(-time.Hour))}, Data: w.SecretData},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns},
			Spec: corev1.ServiceSpec{ClusterIP: "10.0.0.9", Ports: svcPorts, Selector: ProxyLabels}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-abc", Namespace: ns, Labels: ProxyLabels},
			Status: corev1.PodStatus{PodIP: "10.244.0.5"}},
		w.proxyDeployment(ns),
		&discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-x", Namespace: ns,
			Labels: map[string]string{discoveryv1.LabelServiceName: "capsule-proxy"}},
			Ports: slicePorts,
			Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.244.0.5"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready},
				TargetRef: &corev1.ObjectReference{Kind: "Pod", Name: "capsule-proxy-abc"}}}})
	objs = append(objs, w.headlampPod())
	objs = append(objs, w.Objects...)
	cs := fake.NewClientset(objs...)
	cs.Discovery().(*fakediscovery.FakeDiscovery).FakedServerVersion = &version.Info{Major: "1", Minor: "37", GitVersion: "v1.37.2"}
	cs.Resources = []*metav1.APIResourceList{{GroupVersion: "capsule.clastix.io/v1beta2",
		APIResources: []metav1.APIResource{{Name: "tenants"}, {Name: "capsuleconfigurations"}}}}
	if !w.NoProxyCRDs {
		cs.Resources = append(cs.Resources, &metav1.APIResourceList{GroupVersion: "capsule.clastix.io/v1beta1",
			APIResources: []metav1.APIResource{{Name: "proxysettings"}, {Name: "globalproxysettings"}}})
	}
	cs.PrependReactor("create", "selfsubjectaccessreviews", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, &authorizationv1.SelfSubjectAccessReview{Status: authorizationv1.SubjectAccessReviewStatus{Allowed: true}}, nil
	})
	if w.Reactors != nil {
		w.Reactors(cs)
	}
	users := []any{map[string]any{"kind": "Group", "name": "tenant-a-owners"}}
	cfg := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta2", "kind": "CapsuleConfiguration", "metadata": map[string]any{"name": "default"},
		"spec": map[string]any{"users": users}, "status": map[string]any{"users": users}}}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), proxySettingsListKinds, cfg)
	addDynamic(t, dyn, w.DynamicObjects)
	served := w.Leaf
	if w.ServeCert != nil {
		served = *w.ServeCert
	}
	d := PipeDialer{Cert: served.TLS(), Hang: w.Hang, Port: int(port), Headlamp: w.Headlamp}
	if d.Headlamp == nil {
		d.Headlamp = w.headlampHandler()
	}
	return area.Env{Kube: cs, Dynamic: dyn, Dialer: d, Namespace: ns,
		Proxy: area.ProxyRef{Namespace: ns, Service: "capsule-proxy", Secret: "capsule-proxy"}}
}

// AuthConfig puts the world's IdP into an AuthenticationConfiguration written for https://dex.example.com/dex
// with a certificateAuthority placeholder CA-PEM.
func (w *World) AuthConfig(data []byte) []byte {
	ca, _ := json.Marshal(string(w.IDP.CAPEM()))
	data = bytes.ReplaceAll(data, []byte("https://dex.example.com/dex"), []byte(w.IDP.Issuer))
	return bytes.ReplaceAll(data, []byte("CA-PEM"), ca)
}

// PipeDialer "port-forwards" to an in-memory capsule-proxy that serves cert and answers /_healthz, and
// to an in-memory Headlamp on Headlamp's port.
type PipeDialer struct {
	Cert tls.Certificate
	Hang bool
	Port int // the only proxy pod port that answers; 0: any
	// Headlamp answers on headlamp.ContainerPort when set.
	Headlamp http.Handler
}

// DialPod serves the certificate on an in-memory connection, or Headlamp on its port.
func (d PipeDialer) DialPod(ctx context.Context, _, _ string, port int) (net.Conn, error) {
	if d.Headlamp != nil && port == headlamp.ContainerPort {
		client, server := net.Pipe()
		go serveOne(server, d.Headlamp)
		return client, nil
	}
	if d.Port != 0 && port != d.Port {
		return nil, fmt.Errorf("dial pod port %d: connection refused", port)
	}
	client, server := net.Pipe()
	if d.Hang {
		go func() { <-ctx.Done(); _ = server.Close() }()
		return client, nil
	}
	go func() {
		srv := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{d.Cert}})
		// Close the raw pipe: two close_notify writes on an unbuffered pipe would wait for each other.
		defer func() { _ = server.Close() }()
		req, err := http.ReadRequest(bufio.NewReader(srv))
		if err != nil || req.URL.Path != "/_healthz" {
			return
		}
		_, _ = io.WriteString(srv, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	}()
	return client, nil
}
