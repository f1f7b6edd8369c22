package catalogue

import (
	"slices"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/preinstall"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// judgedBeforeWriting are doctor's checks that can judge an installation before it is written: from
// its settings, capsule-proxy's Service and certificate as they are, and the IdP as Headlamp will see
// it. What needs the pod (ready, restarted after the CA, the live TLS handshake) waits for the
// post-install run.
var judgedBeforeWriting = []engine.ID{
	cluster.IDAPI,
	proxy.IDService, proxy.IDSecret, proxy.IDCertChain, proxy.IDCertSAN, proxy.IDCertUsage, proxy.IDCertValidity,
	hlcheck.IDAPIHost, hlcheck.IDCA, hlcheck.IDOIDC, hlcheck.IDScopes,
	identity.IDIdPDiscovery, identity.IDIdPDiscoveryHeadlamp, identity.IDIdPIssuerMatch, identity.IDIdPKeys,
	identity.IDIdPGroupsScope, identity.IDIdPClient,
}

// PreInstall returns the checks install runs before it writes, in output order: the cluster answers,
// install's own (preinstall), then doctor's checks that judge the plan, in catalogue order.
func PreInstall() []engine.Check {
	var out []engine.Check
	for _, c := range Checks() {
		if c.ID == cluster.IDAPI {
			out = append(out, c)
		}
	}
	out = append(out, preinstall.Checks()...)
	for _, c := range Checks() {
		if c.ID != cluster.IDAPI && slices.Contains(judgedBeforeWriting, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// PreInstallFacts returns the facts of the pre-install checks: the cluster and capsule-proxy as they
// are, Headlamp as planned (instead of its Deployment), the IdP with id, and the plan itself.
func PreInstallFacts(e area.Env, id identity.Env, p install.Plan) []engine.Fact {
	m := p.Material
	desired := headlampview.Desired{Settings: p.Settings, ClientSecret: m.ClientSecret, IDPCA: m.IDPCA, ProxyCA: m.ProxyCA}
	return slices.Concat(
		cluster.Facts(e),
		headlampview.DesiredFacts(e, desired),
		authconfig.Facts(e),
		proxyview.Facts(e),
		proxy.Facts(e),
		identity.Facts(e, id),
		preinstall.Facts(p),
	)
}

// Documented returns every check docs/checks.md describes: doctor's, then those only install runs.
func Documented() []engine.Check {
	return slices.Concat(Checks(), preinstall.Checks())
}
