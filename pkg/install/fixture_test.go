package install

import (
	"context"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// pki is a CA and a serving certificate it signed, as PEM.
type pki struct {
	caPEM, certPEM, keyPEM []byte
}

// newPKI makes a CA and a serving certificate for the given DNS names.
func newPKI(t *testing.T, dnsNames ...string) pki {
	return pkiFor(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: dnsNames})
}

// pkiFor makes a CA and the certificate leaf describes.
func pkiFor(t *testing.T, leaf trusttest.Leaf) pki {
	t.Helper()
	ca := trusttest.NewCA(t, "test CA")
	p := ca.Issue(t, leaf)
	return pki{caPEM: ca.CertPEM(), certPEM: p.CertPEM(), keyPEM: p.KeyPEM()}
}

func namespace(name string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
}

func proxyService() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"},
		Spec:       corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "proxy", Port: 9001}}},
	}
}

// proxySecret is capsule-proxy's TLS Secret, with the CA under caKey (ca.crt or ca; "" for none).
func proxySecret(p pki, caKey string) *corev1.Secret {
	data := map[string][]byte{"tls.crt": p.certPEM, "tls.key": p.keyPEM}
	if caKey != "" {
		data[caKey] = p.caPEM
	}
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"}, Data: data}
}

// goodPKI has the SANs capsule-proxy's chart gives its certificate.
func goodPKI(t *testing.T) pki {
	return newPKI(t, "capsule-proxy", "capsule-proxy.capsule-system.svc")
}

// cluster is a fake clientset holding objects; SelfSubjectAccessReviews allow everything but the
// "verb resource" pairs in deny.
func cluster(deny map[string]bool, objects ...runtime.Object) *fake.Clientset {
	cs := fake.NewClientset(objects...)
	cs.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		review := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview)
		attr := review.Spec.ResourceAttributes
		review.Status.Allowed = !deny[attr.Verb+" "+attr.Resource]
		return true, review, nil
	})
	honourDryRun(cs, nil)
	return cs
}

// healthyCluster has everything install needs in capsule-system.
func healthyCluster(t *testing.T) *fake.Clientset {
	return cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey))
}

func testOptions() Options {
	s := headlamp.New("capsule-system")
	s.OIDC.IssuerURL = "https://dex.example.com/dex"
	return Options{Settings: s, ClientSecret: "test-client-secret", Timeout: time.Second}
}

// clients are the clients of a test: the fake clientset, and a fake dynamic client that knows
// HTTPRoutes and Gateways.
func clients(cs kubernetes.Interface, objects ...*unstructured.Unstructured) Clients {
	lists := map[schema.GroupVersionResource]string{
		headlamp.HTTPRouteGVR: "HTTPRouteList",
		headlamp.GatewayGVR:   "GatewayList",
	}
	dc := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), lists)
	for _, obj := range objects {
		// Created with their resource: the tracker would guess "gatewaies" for a Gateway.
		gvr := headlamp.GatewayGVR
		if obj.GetKind() == headlamp.KindHTTPRoute {
			gvr = headlamp.HTTPRouteGVR
		}
		if err := dc.Tracker().Create(gvr, obj, obj.GetNamespace()); err != nil {
			panic(err)
		}
	}
	// The plain tracker cannot apply an object that does not exist yet: store it whole, as a first
	// server-side apply by one manager would.
	dc.PrependReactor("patch", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		pa := a.(k8stesting.PatchAction)
		if pa.GetPatchType() != types.ApplyPatchType {
			return false, nil, nil
		}
		if dryRun(a) {
			return true, &unstructured.Unstructured{}, nil
		}
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(pa.GetPatch()); err != nil {
			return true, nil, err
		}
		if _, err := dc.Tracker().Get(pa.GetResource(), pa.GetNamespace(), pa.GetName()); err == nil {
			return true, obj, dc.Tracker().Update(pa.GetResource(), obj, pa.GetNamespace())
		}
		return true, obj, dc.Tracker().Create(pa.GetResource(), obj, pa.GetNamespace())
	})
	return Clients{Kube: cs, Dynamic: dc,
		LookupHost: func(_ context.Context, host string) ([]string, error) {
			return []string{"192.0.2.10", "2001:db8::10"}, nil
		}}
}

// servesGatewayAPI makes the fake API server list the Gateway API's HTTPRoutes and Gateways.
func servesGatewayAPI(cs *fake.Clientset) {
	cs.Resources = append(cs.Resources, &metav1.APIResourceList{GroupVersion: "gateway.networking.k8s.io/v1",
		APIResources: []metav1.APIResource{{Name: "httproutes", Namespaced: true, Kind: "HTTPRoute"}, {Name: "gateways", Namespaced: true, Kind: "Gateway"}}})
}
