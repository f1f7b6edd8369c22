package doctor

import (
	"crypto/x509"
	"net/http"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
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
var documentedSkips = map[engine.ID]bool{authn.IDAPIServerFlags: true, authn.IDMetrics: true, authn.IDConfigLoaded: true,
	authn.IDJWKSFetch: true, identity.IDIdPKeysAPIServer: true}

// tokenSkip tells whether a check was skipped for want of a token, with the flags that give one.
func tokenSkip(o engine.Outcome) bool {
	return o.Status == engine.StatusSkip && strings.Contains(o.Message, "pass --token-file, --username or --browser")
}

func TestHealthyWorldHasNoFalseAlarm(t *testing.T) {
	got := diagnose(t, doctortest.NewWorld(t), []byte(healthyAuthConfig))
	for id, o := range got {
		switch {
		case o.Status == engine.StatusPass:
		case documentedSkips[id] && (o.Status == engine.StatusSkip || o.Status == engine.StatusUnknown):
		case tokenSkip(o):
		default:
			t.Errorf("%s: %s %q", id, o.Status, o.Message)
		}
	}
}

func TestFailureModes(t *testing.T) {
	tests := []struct {
		name     string
		breakIt  func(t *testing.T, w *doctortest.World)
		auth     string
		id       engine.ID
		want     engine.Status
		contains string
	}{
		{"wrong SAN", func(t *testing.T, w *doctortest.World) {
			w.Leaf = w.CA.Issue(t, trusttest.Leaf{CommonName: "x", DNSNames: []string{"wrong.example.com"}})
			w.SecretData["tls.crt"] = w.Leaf.CertPEM()
		}, "", proxy.IDCertSAN, engine.StatusFail, "wrong.example.com"},
		{"certificate from another CA", func(t *testing.T, w *doctortest.World) {
			other := trusttest.NewCA(t, "other").Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"}})
			w.Leaf = other
			w.SecretData["tls.crt"] = other.CertPEM()
		}, "", proxy.IDCertChain, engine.StatusFail, "not signed by"},
		{"Headlamp projects the self-signed root CA", func(t *testing.T, w *doctortest.World) {
			w.Settings.Proxy.CA = &headlamp.KeyRef{Kind: headlamp.KindSecret, Name: "capsule-proxy-root-secret", Key: "ca.crt"}
			w.Objects = append(w.Objects, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy-root-secret", Namespace: "capsule-system"},
				Data: map[string][]byte{"ca.crt": trusttest.NewCA(t, "capsule-proxy-selfsigned-ca").CertPEM()}})
		}, "", hlcheck.IDCA, engine.StatusFail, "did not sign"},
		{"CA under ca, Headlamp projects ca.crt", func(_ *testing.T, w *doctortest.World) {
			w.SecretData["ca"] = w.SecretData["ca.crt"]
			delete(w.SecretData, "ca.crt")
		}, "", hlcheck.IDCA, engine.StatusFail, "does not exist"},
		{"no CA key at all", func(_ *testing.T, w *doctortest.World) { delete(w.SecretData, "ca.crt") }, "", proxy.IDSecret, engine.StatusFail, "no CA key"},
		// A new ReplicaSet whose pod never gets ready while the old pod still serves: a ready replica,
		// and yet Headlamp runs the previous settings.
		{"stuck rollout, old pod serving", func(_ *testing.T, w *doctortest.World) {
			w.Rollout = &appsv1.DeploymentStatus{Replicas: 2, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UnavailableReplicas: 1}
		}, "", hlcheck.IDReady, engine.StatusFail, "not rolled out (1 old pods not replaced yet)"},
		{"rollout past its deadline", func(_ *testing.T, w *doctortest.World) {
			w.Rollout = &appsv1.DeploymentStatus{Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 1, Conditions: []appsv1.DeploymentCondition{
				{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "timed out progressing"}}}
		}, "", hlcheck.IDReady, engine.StatusFail, "the rollout failed: progress deadline exceeded: timed out progressing"},
		{"no pod available", func(_ *testing.T, w *doctortest.World) {
			w.Rollout = &appsv1.DeploymentStatus{Replicas: 1, UpdatedReplicas: 1}
		}, "", hlcheck.IDReady, engine.StatusFail, "not rolled out: 0/1 pods available"},
		{"replicas 2", func(_ *testing.T, w *doctortest.World) { w.Settings.Replicas = 2 }, "", hlcheck.IDReplicas, engine.StatusFail, "2 replicas: the sign-in state"},
		{"an autoscaler", func(_ *testing.T, w *doctortest.World) {
			w.Objects = append(w.Objects, &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-hpa", Namespace: "capsule-system"},
				Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MaxReplicas: 3,
					ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "headlamp"}}})
		}, "", hlcheck.IDHPA, engine.StatusFail, "headlamp-hpa scales deployment/headlamp to 1-3 replicas"},
		{"a misspelt setting", func(_ *testing.T, w *doctortest.World) {
			w.Deployment = func(d *appsv1.Deployment) {
				c := &d.Spec.Template.Spec.Containers[0]
				c.Env = append(c.Env, corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_SCOPE", Value: "groups"})
			}
		}, "", hlcheck.IDFlags, engine.StatusFail, "does not define HEADLAMP_CONFIG_OIDC_SCOPE"},
		{"an unreleased image", func(_ *testing.T, w *doctortest.World) { w.Settings.Image = "ghcr.io/headlamp-k8s/headlamp:latest" },
			"", hlcheck.IDFlags, engine.StatusPass, "judged as Headlamp 0.45.0 and later"},
		{"the default rolling update", func(_ *testing.T, w *doctortest.World) {
			w.Deployment = func(d *appsv1.Deployment) { d.Spec.Strategy = appsv1.DeploymentStrategy{} }
		}, "", hlcheck.IDStrategy, engine.StatusFail, "maxSurge 25% runs 2 pods at once"},
		{"insecure ssl", func(_ *testing.T, w *doctortest.World) { w.Settings.InsecureSSL = true }, "", hlcheck.IDInsecureSSL, engine.StatusWarn, "-insecure-ssl"},
		{"sa token", func(_ *testing.T, w *doctortest.World) { w.Settings.UnsafeServiceAccountToken = true }, "", hlcheck.IDSAToken, engine.StatusFail, "every user"},
		{"pod holds the API server's token", func(_ *testing.T, w *doctortest.World) {
			w.Objects = append(w.Objects, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-1", Namespace: "capsule-system", Labels: headlamp.SelectorLabels(w.Settings)},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "headlamp", VolumeMounts: []corev1.VolumeMount{{Name: "kube-api-access-x", MountPath: headlamp.ServiceAccountDir}}}},
					Volumes: []corev1.Volume{{Name: "kube-api-access-x", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
						Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}}}}}}}}})
		}, "", hlcheck.IDPodToken, engine.StatusWarn, "pod headlamp-1 holds a ServiceAccount token the API server accepts: volume kube-api-access-x"},
		// Spaces are no fault: the IdP gets "openid profile email groups offline_access" either way.
		{"space separated scopes", func(_ *testing.T, w *doctortest.World) {
			w.Settings.OIDC.Scopes = []string{"profile email groups offline_access"}
		}, "", hlcheck.IDScopes, engine.StatusPass, "profile email groups offline_access"},
		{"an empty scope", func(_ *testing.T, w *doctortest.World) { w.Settings.OIDC.Scopes = []string{"email", "", "groups"} }, "", hlcheck.IDScopes, engine.StatusFail, "an empty scope"},
		{"semicolon separated scopes", func(_ *testing.T, w *doctortest.World) { w.Settings.OIDC.Scopes = []string{"email;groups"} }, "", hlcheck.IDScopes, engine.StatusFail, "separator"},
		{"capsule-proxy's CRDs missing", func(_ *testing.T, w *doctortest.World) { w.NoProxyCRDs = true }, "", proxy.IDCRDs, engine.StatusFail, "ProxySetting and GlobalProxySettings not served"},
		{"no offline_access", func(_ *testing.T, w *doctortest.World) { w.Settings.OIDC.Scopes = []string{"email", "groups"} }, "", hlcheck.IDScopes, engine.StatusWarn, "offline_access"},
		{"cluster-admin binding", func(_ *testing.T, w *doctortest.World) {
			w.Objects = append(w.Objects, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-admin"},
				RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"},
				Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "headlamp", Namespace: "capsule-system"}}})
		}, "", hlcheck.IDRBAC, engine.StatusWarn, "headlamp-admin"},
		{"served certificate differs", func(t *testing.T, w *doctortest.World) {
			other := trusttest.NewCA(t, "other").Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"}})
			w.ServeCert = &other
		}, "", proxy.IDTLSLive, engine.StatusFail, "is not signed by the CA"},
		{"client authentication only", func(t *testing.T, w *doctortest.World) {
			w.Leaf = w.CA.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
			w.SecretData["tls.crt"] = w.Leaf.CertPEM()
		}, "", proxy.IDCertUsage, engine.StatusFail, clientAuthOnly},
		{"hung proxy", func(_ *testing.T, w *doctortest.World) { w.Hang = true }, "", proxy.IDTLSLive, engine.StatusFail, "capsule-proxy is hung"},
		{"expired certificate", func(t *testing.T, w *doctortest.World) {
			w.Leaf = w.CA.Issue(t, trusttest.Leaf{DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				NotBefore: w.CA.Cert.NotBefore, NotAfter: w.CA.Cert.NotBefore.Add(30 * 60e9)})
			w.SecretData["tls.crt"] = w.Leaf.CertPEM()
		}, "", proxy.IDCertValidity, engine.StatusFail, "expired"},
		{"forbidden secret", func(_ *testing.T, w *doctortest.World) {
			w.Reactors = func(cs *fake.Clientset) {
				cs.PrependReactor("get", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "capsule-proxy", nil)
				})
			}
		}, "", proxy.IDSecret, engine.StatusUnknown, "get secrets capsule-proxy -n capsule-system"},
		{"single audience", nil, strings.Replace(strings.Replace(healthyAuthConfig, "[headlamp, kubernetes]", "[kubernetes]", 1),
			"    audienceMatchPolicy: MatchAny\n", "", 1), authn.IDAudience, engine.StatusFail, "accepts only kubernetes"},
		{"invalid config", nil, strings.Replace(healthyAuthConfig, "    audienceMatchPolicy: MatchAny\n", "", 1),
			authn.IDConfigValid, engine.StatusFail, "MatchAny"},
		{"groups prefix", nil, strings.Replace(healthyAuthConfig, `groups: {claim: groups, prefix: ""}`, `groups: {claim: groups, prefix: "oidc:"}`, 1),
			authn.IDClaims, engine.StatusFail, "oidc:"},
		{"other issuer", nil, strings.Replace(healthyAuthConfig, "dex.example.com/dex", "dex.example.com/dex/", 1),
			authn.IDIssuer, engine.StatusFail, "no authenticator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := doctortest.NewWorld(t)
			if tt.breakIt != nil {
				tt.breakIt(t, w)
			}
			auth := healthyAuthConfig
			if tt.auth != "" {
				auth = tt.auth
			}
			got := diagnose(t, w, []byte(auth))
			o := got[tt.id]
			if o.Status != tt.want || !strings.Contains(o.Message+" "+evidenceText(o.Evidence), tt.contains) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, o.Status, o.Message, tt.want, tt.contains)
			}
			if (tt.want == engine.StatusFail || tt.want == engine.StatusWarn) && o.Hint == "" {
				t.Errorf("%s has no hint", tt.id)
			}
			for id, other := range got {
				if other.Status == engine.StatusFail && id != tt.id && !expectedAlso[tt.id][id] {
					t.Errorf("false alarm: %s also failed: %q", id, other.Message)
				}
			}
		})
	}
}

// expectedAlso lists failures that legitimately come with another (one cause seen from two sides).
var expectedAlso = map[engine.ID]map[engine.ID]bool{
	hlcheck.IDCA:        {proxy.IDTLSLive: true}, // the live handshake also checks Headlamp's CA
	authn.IDConfigValid: {},
	authn.IDIssuer:      {"IDP-ISSUER-MATCH": true},
}

func evidenceText(e engine.Evidence) string {
	var parts []string
	for _, it := range e {
		parts = append(parts, it.Key+"="+it.String())
	}
	return strings.Join(parts, " ")
}

// TestProxyServiceWithTwoPorts: Headlamp may use any port of capsule-proxy's Service, as install
// accepts; the live checks then reach the pod port behind that one, not behind the first.
func TestProxyServiceWithTwoPorts(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.MetricsFirst = true
	got := diagnose(t, w, nil)
	for _, id := range []engine.ID{hlcheck.IDAPIHost, proxy.IDTLSLive, proxy.IDHealthz} {
		if got[id].Status != engine.StatusPass {
			t.Errorf("%s: %s %q", id, got[id].Status, got[id].Message)
		}
	}
}

// TestTLSLiveNamesTheWrongSide: when capsule-proxy serves its Secret's certificate and only Headlamp's
// projected CA rejects it, PROXY-TLS-LIVE's fix is Headlamp's CA, not a restart of capsule-proxy.
func TestTLSLiveNamesTheWrongSide(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.Settings.Proxy.CA = &headlamp.KeyRef{Kind: headlamp.KindSecret, Name: "stale-ca", Key: "ca.crt"}
	w.Objects = append(w.Objects, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "stale-ca", Namespace: "capsule-system"},
		Data: map[string][]byte{"ca.crt": trusttest.NewCA(t, "stale").CertPEM()}})
	o := diagnose(t, w, nil)[proxy.IDTLSLive]
	if o.Status != engine.StatusFail || !strings.Contains(o.Hint, "Headlamp's CA is not") || strings.Contains(o.Hint, "restart it") {
		t.Errorf("PROXY-TLS-LIVE = %s %q, hint %q; want a failure whose hint fixes Headlamp's CA", o.Status, o.Message, o.Hint)
	}
}

// TestHeadlampOIDCLiveReportsHeadlampsOwnError: a 500 from /oidc fails with Headlamp's text, and the
// issuer mismatch gets the fix that names the discovery document's issuer.
func TestHeadlampOIDCLiveReportsHeadlampsOwnError(t *testing.T) {
	w := doctortest.NewWorld(t)
	text := `oidc: issuer URL provided to client ("` + w.IDP.Issuer + `/") did not match the issuer URL returned by provider ("` + w.IDP.Issuer + `")`
	w.Headlamp = http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { http.Error(rw, text, http.StatusInternalServerError) })
	o := diagnose(t, w, nil)[identity.IDHeadlampOIDCLive]
	if o.Status != engine.StatusFail || !strings.Contains(o.Message, "did not match the issuer URL") ||
		!strings.Contains(o.Hint, "exactly the discovery document's issuer "+w.IDP.Issuer+",") {
		t.Errorf("HEADLAMP-OIDC-LIVE = %s %q, hint %q", o.Status, o.Message, o.Hint)
	}
}

// TestProxyServiceMissingSaysItOnce: a Service that does not exist is reported in the API's own words,
// without a "not found" of ours after them.
func TestProxyServiceMissingSaysItOnce(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.Reactors = func(cs *fake.Clientset) {
		cs.PrependReactor("get", "services", func(a k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewNotFound(corev1.Resource("services"), a.(k8stesting.GetAction).GetName())
		})
	}
	o := diagnose(t, w, nil)[proxy.IDService]
	if o.Status != engine.StatusFail || !strings.Contains(o.Message, `services "capsule-proxy" not found`) ||
		strings.Contains(o.Message, "not found not found") {
		t.Errorf("PROXY-SERVICE = %s %q; want a failure naming the Service once", o.Status, o.Message)
	}
}
