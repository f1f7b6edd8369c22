package doctor

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/preinstall"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	hl "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// healthyPlan is what install would write into w, with preflight having found nothing.
func healthyPlan(w *doctortest.World) install.Plan {
	findings := map[install.Concern][]install.Problem{}
	for _, c := range []install.Concern{install.ConcernNamespace, install.ConcernAccess, install.ConcernOwners,
		install.ConcernPullSecrets, install.ConcernQuota} {
		findings[c] = nil
	}
	return install.Plan{Settings: w.Settings,
		Material: hl.Material{ClientSecret: oidctest.ClientSecret, ProxyCA: w.CA.CertPEM(), IDPCA: w.IDP.CAPEM()},
		Facts:    install.Facts{ProxyCA: w.CA.CertPEM(), ProxyCAKey: hl.CAKey, Findings: findings}}
}

// TestPreInstall: the pre-install checks judge the plan, not what is installed (which is healthy in
// every case here): each mistake install could make is found before it writes, in doctor's words.
func TestPreInstall(t *testing.T) {
	tests := []struct {
		name     string
		breakIt  func(*testing.T, *doctortest.World, *install.Plan)
		id       engine.ID
		contains string
	}{
		{"healthy", nil, "", ""},
		{"wrong client secret", func(_ *testing.T, _ *doctortest.World, p *install.Plan) { p.Material.ClientSecret = "wrong" },
			identity.IDIdPClient, "rejected client"},
		{"IdP CA left out", func(_ *testing.T, _ *doctortest.World, p *install.Plan) {
			p.Settings.OIDC.CA, p.Material.IDPCA = nil, nil
		}, identity.IDIdPDiscovery, "not trusted"},
		{"scopes joined by a semicolon", func(_ *testing.T, _ *doctortest.World, p *install.Plan) {
			p.Settings.OIDC.Scopes = []string{"profile", "email;groups"}
		}, headlamp.IDScopes, "a separator Headlamp does not split on"},
		{"unreachable issuer", func(_ *testing.T, _ *doctortest.World, p *install.Plan) {
			p.Settings.OIDC.IssuerURL = "https://127.0.0.1:1/dex"
		}, identity.IDIdPDiscovery, "127.0.0.1:1"},
		{"namespace missing", func(_ *testing.T, _ *doctortest.World, p *install.Plan) {
			p.Facts.Findings[install.ConcernNamespace] = []install.Problem{{What: "namespace apps does not exist", Hint: "create it"}}
		}, preinstall.IDNamespace, "namespace apps does not exist"},
		{"IdP CA too large", func(_ *testing.T, _ *doctortest.World, p *install.Plan) { p.IDPCAErr = errors.New("too large") },
			preinstall.IDIdPCA, "too large"},
		{"client authentication only", func(t *testing.T, w *doctortest.World, _ *install.Plan) {
			w.Leaf = w.CA.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
			w.SecretData["tls.crt"] = w.Leaf.CertPEM()
		}, proxy.IDCertUsage, clientAuthOnly},
		{"wrong proxy port", func(_ *testing.T, _ *doctortest.World, p *install.Plan) { p.Settings.Proxy.Port = 443 },
			headlamp.IDAPIHost, "listens on 9001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := doctortest.NewWorld(t)
			plan := healthyPlan(w)
			if tt.breakIt != nil {
				tt.breakIt(t, w, &plan)
			}
			r, err := PreInstall(t.Context(), config(w.Env(t)), plan)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range r.Outcomes {
				switch {
				case o.ID == tt.id && (o.Status != engine.StatusFail || !strings.Contains(o.Message, tt.contains) || o.Hint == ""):
					t.Errorf("%s = %s %q (hint %q), want fail containing %q", o.ID, o.Status, o.Message, o.Hint, tt.contains)
				case o.ID != tt.id && o.Status == engine.StatusFail:
					t.Errorf("false alarm: %s failed: %q", o.ID, o.Message)
				}
			}
			if tt.id != "" && !r.Failed(engine.SeverityError) {
				t.Errorf("%s did not fail the run", tt.id)
			}
		})
	}
}

// TestPreInstallLeavesThePodToLater: what needs the running pod is judged after the rollout.
func TestPreInstallLeavesThePodToLater(t *testing.T) {
	w := doctortest.NewWorld(t)
	r, err := PreInstall(t.Context(), config(w.Env(t)), healthyPlan(w))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range r.Outcomes {
		if o.ID == headlamp.IDReady || o.ID == proxy.IDTLSLive || o.ID == headlamp.IDRestart || o.ID == identity.IDTokenObtained {
			t.Errorf("%s ran before install wrote", o.ID)
		}
	}
}
