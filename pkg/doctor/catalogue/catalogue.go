// Package catalogue is doctor's catalogue of checks, by area, in output order: the cluster, Capsule,
// capsule-proxy, Headlamp, the NetworkPolicies around it, the API server's authentication, then the sign-in (IdP, token, what the
// cluster makes of it). An area's checks may depend on any check of an area listed before it, so the
// areas import earlier areas' IDs and facts, never later ones. Three areas of facts without checks sit
// below those that judge them: headlampview (the Headlamp Deployment, which capsule-proxy's checks
// judge from Headlamp's side), proxyview (capsule-proxy's Service and Deployment, whose flags name the
// CapsuleConfiguration the Capsule checks read and the claim the API server's and identity checks
// compare) and authconfig (the --authentication-config file, which Headlamp's scopes check needs as
// much as the API server's checks).
package catalogue

import (
	"slices"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/network"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Checks returns every check, in output order: by area, premises before what builds on them.
func Checks() []engine.Check {
	return slices.Concat(
		cluster.Checks(),
		capsule.Checks(),
		proxy.Checks(),
		hlcheck.Checks(),
		network.Checks(),
		authn.Checks(),
		identity.Checks(),
	)
}

// Facts returns the producers of every fact the checks may need, bound to e and the identity inputs id.
func Facts(e area.Env, id identity.Env) []engine.Fact {
	return slices.Concat(
		cluster.Facts(e),
		capsule.Facts(e),
		headlampview.Facts(e),
		proxyview.Facts(e),
		authconfig.Facts(e),
		proxy.Facts(e),
		network.Facts(e),
		authn.Facts(e),
		identity.Facts(e, id),
	)
}
