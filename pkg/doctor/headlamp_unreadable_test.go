package doctor

import (
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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
)

// forbidSecret makes get on one Secret Forbidden, as for a user who may read Deployments but not it.
func forbidSecret(name string) func(*fake.Clientset) { return forbidGet("secrets", name) }

// forbidGet makes get on one object of a resource Forbidden.
func forbidGet(resource, name string) func(*fake.Clientset) {
	return func(cs *fake.Clientset) {
		cs.PrependReactor("get", resource, func(a k8stesting.Action) (bool, runtime.Object, error) {
			if a.(k8stesting.GetAction).GetName() != name {
				return false, nil, nil
			}
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: resource}, name, nil)
		})
	}
}

// TestForbiddenOIDCSettingsLeaveTheDeploymentChecksStanding: the OIDC ConfigMap holds the client id,
// issuer and scopes; only the checks judging those are unknown, each naming the permission, and the
// checks that judge the Deployment itself still pass. Nothing fails for want of a permission.
func TestForbiddenOIDCSettingsLeaveTheDeploymentChecksStanding(t *testing.T) {
	w := doctortest.NewWorld(t)
	settings := headlamp.ConfigMapName(w.Settings.Name)
	w.Reactors = forbidGet("configmaps", settings)
	got := diagnose(t, w, []byte(healthyAuthConfig))
	permission := "get configmaps " + settings + " -n capsule-system"

	for _, id := range []engine.ID{hlcheck.IDFound, hlcheck.IDReady, hlcheck.IDAPIHost, hlcheck.IDCA, hlcheck.IDRestart,
		hlcheck.IDInsecureSSL, hlcheck.IDSAToken, hlcheck.IDReplicas, hlcheck.IDRBAC, proxy.IDCertSAN, proxy.IDTLSLive} {
		if o := got[id]; o.Status != engine.StatusPass {
			t.Errorf("%s = %s %q, want pass: it judges the Deployment, not the Secret", id, o.Status, o.Message)
		}
	}
	if ev := evidenceText(got[hlcheck.IDFound].Evidence); !strings.Contains(ev, permission) {
		t.Errorf("HEADLAMP-FOUND evidence %q does not say what doctor could not read", ev)
	}
	for _, id := range []engine.ID{hlcheck.IDOIDC, identity.IDIdPDiscovery} {
		if o := got[id]; o.Status != engine.StatusUnknown || !strings.Contains(o.Message, permission) {
			t.Errorf("%s = %s %q, want unknown naming %q", id, o.Status, o.Message, permission)
		}
	}
	// The checks after HEADLAMP-OIDC wait on it and say so.
	for _, id := range []engine.ID{hlcheck.IDScopes, authn.IDIssuer, authn.IDAudience, authn.IDClaims} {
		if o := got[id]; o.Status != engine.StatusSkip || !strings.Contains(o.Message, string(hlcheck.IDOIDC)) || !strings.Contains(o.Message, "could not be checked") {
			t.Errorf("%s = %s %q, want skipped after HEADLAMP-OIDC", id, o.Status, o.Message)
		}
	}
	for id, o := range got {
		if o.Status == engine.StatusFail || o.Status == engine.StatusWarn {
			t.Errorf("a missing permission is not a finding: %s %s %q", id, o.Status, o.Message)
		}
	}
}

// TestForbiddenClientSecretOnly: with everything but the client secret readable (it lives in another
// Secret), HEADLAMP-OIDC passes without claiming the secret is unset, and IDP-CLIENT names the permission.
func TestForbiddenClientSecretOnly(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.Settings.OIDC.ClientSecret = &headlamp.KeyRef{Kind: headlamp.KindSecret, Name: "idp-client", Key: "secret"}
	w.Reactors = forbidSecret("idp-client")
	got := diagnose(t, w, []byte(healthyAuthConfig))
	if o := got[hlcheck.IDOIDC]; o.Status != engine.StatusPass || strings.Contains(evidenceText(o.Evidence), "not set") {
		t.Errorf("HEADLAMP-OIDC = %s %q (evidence %s), want pass without claiming the secret is unset", o.Status, o.Message, evidenceText(o.Evidence))
	}
	if o := got[hlcheck.IDFound]; o.Status != engine.StatusPass {
		t.Errorf("HEADLAMP-FOUND = %s %q: a Secret doctor may not read is not one that does not exist", o.Status, o.Message)
	}
	if o := got[identity.IDIdPClient]; o.Status != engine.StatusUnknown || !strings.Contains(o.Message, "get secrets idp-client -n capsule-system") ||
		!strings.Contains(o.Message, "--oidc-client-secret-file") {
		t.Errorf("IDP-CLIENT = %s %q, want unknown naming the permission and the flag that avoids it", o.Status, o.Message)
	}
}
