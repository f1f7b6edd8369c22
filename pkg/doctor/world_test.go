package doctor

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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// world is a fake cluster with a healthy Capsule + capsule-proxy + Headlamp setup, to break on purpose.
type world struct {
	idp        *oidctest.IDP
	ca, leaf   trusttest.Pair
	settings   headlamp.Settings
	secretData map[string][]byte
	objects    []runtime.Object
	reactors   func(*fake.Clientset)
	serveCert  *trusttest.Pair // what the proxy pod serves; nil: leaf
	hang       bool
	// rollout is the Headlamp Deployment's status; nil: rolled out.
	rollout *appsv1.DeploymentStatus
	// metricsFirst puts a metrics port before the proxy port on the Service and its endpoints; the
	// proxy pod then answers on the proxy port only.
	metricsFirst bool
}

func newWorld(t testing.TB) *world {
	ca := trusttest.NewCA(t, "proxy-ca")
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy", "capsule-proxy.capsule-system.svc"}})
	idp := oidctest.New(t)
	s := headlamp.New("capsule-system")
	s.OIDC.IssuerURL = idp.Issuer
	s.OIDC.Scopes = []string{"profile", "email", "groups", "offline_access"}
	s.OIDC.CA = &headlamp.CA{From: headlamp.KeyRef{Kind: headlamp.KindConfigMap, Name: headlamp.IDPCAConfigMapName(s.Name), Key: headlamp.CAKey},
		Trust: headlamp.TrustAppend, Path: headlamp.IDPCADir}
	s.TrustProxyCA(headlamp.CAKey, nil)
	return &world{idp: idp, ca: ca, leaf: leaf, settings: s,
		secretData: map[string][]byte{"tls.crt": leaf.CertPEM(), "tls.key": leaf.KeyPEM(), "ca.crt": ca.CertPEM()}}
}

// headlampObjects are the Deployment, OIDC ConfigMap and Secret install would create for the settings.
func (w *world) headlampObjects(t testing.TB) []runtime.Object {
	o, err := headlamp.Build(w.settings, headlamp.Material{ClientSecret: oidctest.ClientSecret, ProxyCA: w.ca.CertPEM(), IDPCA: w.idp.CAPEM()})
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
	if w.rollout != nil {
		dep.Status = *w.rollout
	}
	return []runtime.Object{&dep, &sec, &idpCA, &settings}
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

func (w *world) env(t testing.TB) Env {
	ns := "capsule-system"
	ready, port, portName := true, int32(9001), "proxy"
	svcPorts := []corev1.ServicePort{{Name: "proxy", Port: 9001}}
	slicePorts := []discoveryv1.EndpointPort{{Name: &portName, Port: &port}}
	if w.metricsFirst {
		metricsPort, metricsName := int32(8080), "metrics"
		svcPorts = append([]corev1.ServicePort{{Name: metricsName, Port: 8080}}, svcPorts...)
		slicePorts = append([]discoveryv1.EndpointPort{{Name: &metricsName, Port: &metricsPort}}, slicePorts...)
	}
	objs := append(w.headlampObjects(t),
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns}, Data: w.secretData},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns},
			Spec: corev1.ServiceSpec{ClusterIP: "10.0.0.9", Ports: svcPorts}},
		&discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-x", Namespace: ns,
			Labels: map[string]string{discoveryv1.LabelServiceName: "capsule-proxy"}},
			Ports: slicePorts,
			Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.244.0.5"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready},
				TargetRef: &corev1.ObjectReference{Kind: "Pod", Name: "capsule-proxy-abc"}}}})
	objs = append(objs, w.objects...)
	cs := fake.NewClientset(objs...)
	cs.Discovery().(*fakediscovery.FakeDiscovery).FakedServerVersion = &version.Info{Major: "1", Minor: "37", GitVersion: "v1.37.2"}
	cs.Resources = []*metav1.APIResourceList{{GroupVersion: "capsule.clastix.io/v1beta2",
		APIResources: []metav1.APIResource{{Name: "tenants"}, {Name: "capsuleconfigurations"}}}}
	cs.PrependReactor("create", "selfsubjectaccessreviews", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, &authorizationv1.SelfSubjectAccessReview{Status: authorizationv1.SubjectAccessReviewStatus{Allowed: true}}, nil
	})
	if w.reactors != nil {
		w.reactors(cs)
	}
	cfg := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta2", "kind": "CapsuleConfiguration", "metadata": map[string]any{"name": "default"},
		"spec": map[string]any{"users": []any{map[string]any{"kind": "Group", "name": "tenant-a-owners"}}}}}
	dyn := dynamicfake.NewSimpleDynamicClient(runtime.NewScheme(), cfg)
	served := w.leaf
	if w.serveCert != nil {
		served = *w.serveCert
	}
	return Env{Kube: cs, Dynamic: dyn, Dialer: pipeDialer{cert: served.TLS(), hang: w.hang, port: int(port)}, Namespace: ns,
		Proxy: ProxyRef{Namespace: ns, Service: "capsule-proxy", Secret: "capsule-proxy"}}
}

func (w *world) run(t *testing.T, authConfig []byte) map[ID]Outcome {
	t.Helper()
	env := w.env(t)
	if authConfig != nil {
		env.AuthConfig = &AuthConfigFile{Path: "auth.yaml", Data: w.authConfig(authConfig)}
	}
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(t.Context(), p, RunOptions{CheckTimeout: 2 * time.Second, Vars: env.HintVars()})
	out := map[ID]Outcome{}
	for _, o := range r.Outcomes {
		out[o.ID] = o
	}
	return out
}

// authConfig puts the world's IdP into an AuthenticationConfiguration written for https://dex.example.com/dex
// with a certificateAuthority placeholder CA-PEM.
func (w *world) authConfig(data []byte) []byte {
	ca, _ := json.Marshal(string(w.idp.CAPEM()))
	data = bytes.ReplaceAll(data, []byte("https://dex.example.com/dex"), []byte(w.idp.Issuer))
	return bytes.ReplaceAll(data, []byte("CA-PEM"), ca)
}

// pipeDialer "port-forwards" to an in-memory capsule-proxy that serves cert and answers /_healthz.
type pipeDialer struct {
	cert tls.Certificate
	hang bool
	port int // the only pod port that answers; 0: any
}

func (d pipeDialer) DialPod(ctx context.Context, _, _ string, port int) (net.Conn, error) {
	if d.port != 0 && port != d.port {
		return nil, fmt.Errorf("dial pod port %d: connection refused", port)
	}
	client, server := net.Pipe()
	if d.hang {
		go func() { <-ctx.Done(); _ = server.Close() }()
		return client, nil
	}
	go func() {
		srv := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{d.cert}})
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
