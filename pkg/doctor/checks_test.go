package doctor

import (
	"crypto/x509"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

const healthyAuthConfig = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://dex.example.com/dex
    audiences: [headlamp, kubernetes]
    audienceMatchPolicy: MatchAny
    certificateAuthority: CA-PEM
  claimMappings:
    username: {claim: email, prefix: ""}
    groups: {claim: groups, prefix: ""}
`

// clientAuthOnly is what install's pre-install check and the proxy checks both say of a certificate
// that allows client authentication only (pkg/install's test expects the same words).
const clientAuthOnly = `certificate "capsule-proxy" is not a server certificate: its extended key usage allows client authentication only`

// documentedSkips may end skip in a healthy fake cluster: no kube-apiserver pods, no /metrics.
var documentedSkips = map[ID]bool{"AUTHN-APISERVER-FLAGS": true, "AUTHN-METRICS": true}

// tokenSkip tells whether a check was skipped for want of a token, with the flags that give one.
func tokenSkip(o Outcome) bool {
	return o.Status == StatusSkip && strings.Contains(o.Message, "pass --token-file, --username or --browser")
}

func TestHealthyWorldHasNoFalseAlarm(t *testing.T) {
	got := newWorld(t).run(t, []byte(healthyAuthConfig))
	for id, o := range got {
		switch {
		case o.Status == StatusPass:
		case documentedSkips[id] && (o.Status == StatusSkip || o.Status == StatusUnknown):
		case tokenSkip(o):
		default:
			t.Errorf("%s: %s %q", id, o.Status, o.Message)
		}
	}
}

func TestFailureModes(t *testing.T) {
	tests := []struct {
		name     string
		breakIt  func(t *testing.T, w *world)
		auth     string
		id       ID
		want     Status
		contains string
	}{
		{"wrong SAN", func(t *testing.T, w *world) {
			w.leaf = w.ca.Issue(t, trusttest.Leaf{CommonName: "x", DNSNames: []string{"wrong.example.com"}})
			w.secretData["tls.crt"] = w.leaf.CertPEM()
		}, "", "PROXY-CERT-SAN", StatusFail, "wrong.example.com"},
		{"certificate from another CA", func(t *testing.T, w *world) {
			other := trusttest.NewCA(t, "other").Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"}})
			w.leaf = other
			w.secretData["tls.crt"] = other.CertPEM()
		}, "", "PROXY-CERT-CHAIN", StatusFail, "not signed by"},
		{"Headlamp projects the self-signed root CA", func(t *testing.T, w *world) {
			w.settings.Proxy.CA = &headlamp.KeyRef{Kind: headlamp.KindSecret, Name: "capsule-proxy-root-secret", Key: "ca.crt"}
			w.objects = append(w.objects, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-root-secret", Namespace: "capsule-system"},
				Data: map[string][]byte{"ca.crt": trusttest.NewCA(t, "capsule-proxy-selfsigned-ca").CertPEM()}})
		}, "", "HEADLAMP-CA", StatusFail, "did not sign"},
		{"CA under ca, Headlamp projects ca.crt", func(_ *testing.T, w *world) {
			w.secretData["ca"] = w.secretData["ca.crt"]
			delete(w.secretData, "ca.crt")
		}, "", "HEADLAMP-CA", StatusFail, "does not exist"},
		{"no CA key at all", func(_ *testing.T, w *world) { delete(w.secretData, "ca.crt") }, "", "PROXY-SECRET", StatusFail, "no CA key"},
		// A new ReplicaSet whose pod never gets ready while the old pod still serves: a ready replica,
		// and yet Headlamp runs the previous settings.
		{"stuck rollout, old pod serving", func(_ *testing.T, w *world) {
			w.rollout = &appsv1.DeploymentStatus{Replicas: 2, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UnavailableReplicas: 1}
		}, "", "HEADLAMP-READY", StatusFail, "not rolled out (1 old pods not replaced yet)"},
		{"rollout past its deadline", func(_ *testing.T, w *world) {
			w.rollout = &appsv1.DeploymentStatus{Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 1, Conditions: []appsv1.DeploymentCondition{
				{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "timed out progressing"}}}
		}, "", "HEADLAMP-READY", StatusFail, "the rollout failed: progress deadline exceeded: timed out progressing"},
		{"no pod available", func(_ *testing.T, w *world) {
			w.rollout = &appsv1.DeploymentStatus{Replicas: 1, UpdatedReplicas: 1}
		}, "", "HEADLAMP-READY", StatusFail, "not rolled out: 0/1 pods available"},
		{"replicas 2", func(_ *testing.T, w *world) { w.settings.Replicas = 2 }, "", "HEADLAMP-REPLICAS", StatusWarn, "2 replicas"},
		{"insecure ssl", func(_ *testing.T, w *world) { w.settings.InsecureSSL = true }, "", "HEADLAMP-INSECURE-SSL", StatusWarn, "-insecure-ssl"},
		{"sa token", func(_ *testing.T, w *world) { w.settings.UnsafeServiceAccountToken = true }, "", "HEADLAMP-SA-TOKEN", StatusFail, "every user"},
		{"space separated scopes", func(_ *testing.T, w *world) { w.settings.OIDC.Scopes = []string{"openid email groups"} }, "", "HEADLAMP-SCOPES", StatusFail, "spaces"},
		{"no offline_access", func(_ *testing.T, w *world) { w.settings.OIDC.Scopes = []string{"email", "groups"} }, "", "HEADLAMP-SCOPES", StatusWarn, "offline_access"},
		{"cluster-admin binding", func(_ *testing.T, w *world) {
			w.objects = append(w.objects, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-admin"},
				RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"},
				Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "headlamp", Namespace: "capsule-system"}}})
		}, "", "HEADLAMP-RBAC", StatusWarn, "headlamp-admin"},
		{"served certificate differs", func(t *testing.T, w *world) {
			other := trusttest.NewCA(t, "other").Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"}})
			w.serveCert = &other
		}, "", "PROXY-TLS-LIVE", StatusFail, "is not signed by the CA"},
		{"client authentication only", func(t *testing.T, w *world) {
			w.leaf = w.ca.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
			w.secretData["tls.crt"] = w.leaf.CertPEM()
		}, "", "PROXY-TLS-LIVE", StatusFail, clientAuthOnly},
		{"hung proxy", func(_ *testing.T, w *world) { w.hang = true }, "", "PROXY-TLS-LIVE", StatusFail, "capsule-proxy is hung"},
		{"expired certificate", func(t *testing.T, w *world) {
			w.leaf = w.ca.Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				NotBefore: w.ca.Cert.NotBefore, NotAfter: w.ca.Cert.NotBefore.Add(30 * 60e9)})
			w.secretData["tls.crt"] = w.leaf.CertPEM()
		}, "", "PROXY-CERT-VALIDITY", StatusFail, "expired"},
		{"forbidden secret", func(_ *testing.T, w *world) {
			w.reactors = func(cs *fake.Clientset) {
				cs.PrependReactor("get", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "capsule-proxy", nil)
				})
			}
		}, "", "PROXY-SECRET", StatusUnknown, "get secrets capsule-proxy -n capsule-system"},
		{"single audience", nil, strings.Replace(strings.Replace(healthyAuthConfig, "[headlamp, kubernetes]", "[kubernetes]", 1),
			"    audienceMatchPolicy: MatchAny\n", "", 1), "AUTHN-AUDIENCE", StatusFail, "accepts only kubernetes"},
		{"invalid config", nil, strings.Replace(healthyAuthConfig, "    audienceMatchPolicy: MatchAny\n", "", 1),
			"AUTHN-CONFIG-VALID", StatusFail, "MatchAny"},
		{"groups prefix", nil, strings.Replace(healthyAuthConfig, `groups: {claim: groups, prefix: ""}`, `groups: {claim: groups, prefix: "oidc:"}`, 1),
			"AUTHN-CLAIMS", StatusFail, "oidc:"},
		{"other issuer", nil, strings.Replace(healthyAuthConfig, "dex.example.com/dex", "dex.example.com/dex/", 1),
			"AUTHN-ISSUER", StatusFail, "no authenticator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.breakIt != nil {
				tt.breakIt(t, w)
			}
			auth := healthyAuthConfig
			if tt.auth != "" {
				auth = tt.auth
			}
			got := w.run(t, []byte(auth))
			o := got[tt.id]
			if o.Status != tt.want || !strings.Contains(o.Message+" "+evidenceText(o.Evidence), tt.contains) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, o.Status, o.Message, tt.want, tt.contains)
			}
			if (tt.want == StatusFail || tt.want == StatusWarn) && o.Hint == "" {
				t.Errorf("%s has no hint", tt.id)
			}
			for id, other := range got {
				if other.Status == StatusFail && id != tt.id && !expectedAlso[tt.id][id] {
					t.Errorf("false alarm: %s also failed: %q", id, other.Message)
				}
			}
		})
	}
}

// expectedAlso lists failures that legitimately come with another (one cause seen from two sides).
var expectedAlso = map[ID]map[ID]bool{
	"HEADLAMP-CA":        {"PROXY-TLS-LIVE": true}, // the live handshake also checks Headlamp's CA
	"AUTHN-CONFIG-VALID": {},
	"AUTHN-ISSUER":       {"IDP-ISSUER-MATCH": true},
}

func evidenceText(e Evidence) string {
	var parts []string
	for _, it := range e {
		parts = append(parts, it.Key+"="+it.String())
	}
	return strings.Join(parts, " ")
}

// TestProxyServiceWithTwoPorts: Headlamp may use any port of capsule-proxy's Service, as install
// accepts; the live checks then reach the pod port behind that one, not behind the first.
func TestProxyServiceWithTwoPorts(t *testing.T) {
	w := newWorld(t)
	w.metricsFirst = true
	got := w.run(t, nil)
	for _, id := range []ID{"HEADLAMP-API-HOST", "PROXY-TLS-LIVE", "PROXY-HEALTHZ"} {
		if got[id].Status != StatusPass {
			t.Errorf("%s: %s %q", id, got[id].Status, got[id].Message)
		}
	}
}

func TestJudgeAPIHostPorts(t *testing.T) {
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"},
		Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "metrics", Port: 8080}, {Name: "proxy", Port: 9001}}}}
	h := HeadlampView{InCluster: true, APIHost: "capsule-proxy.capsule-system.svc"}
	for port, want := range map[int32]string{9001: "", 8080: "", 443: "listens on 8080, 9001"} {
		h.APIPort = port
		r := judgeAPIHost(h, svc)
		if want == "" && r.Status != StatusPass || want != "" && (r.Status != StatusFail || !strings.Contains(r.Message, want)) {
			t.Errorf("port %d: %s %q, want %q", port, r.Status, r.Message, want)
		}
	}
}
