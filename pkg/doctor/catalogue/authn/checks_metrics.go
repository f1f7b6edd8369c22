package authn

import (
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The checks of what the running API servers show in /metrics.
const (
	IDConfigLoaded engine.ID = "AUTHN-CONFIG-LOADED"
	IDJWKSFetch    engine.ID = "AUTHN-JWKS-FETCH"
)

// metricsExplain is what every /metrics check shares: where the series come from and which API
// servers are judged.
const metricsExplain = " Read from /metrics (needs get on the non-resource URL /metrics; without it the check is unknown). " +
	"doctor reads /metrics through the kubeconfig's server, so it judges the API server that answers there, named by " +
	"its identity Lease in kube-system (list leases); the evidence names the API servers it did not reach. To judge " +
	"each API server of a highly available control plane, run doctor once per API server with --server https://<its address>."

func metricsChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDMetrics, Title: "The running API server has Headlamp's issuer configured", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI, hlcheck.IDOIDC},
			Needs: []engine.FactName{FactMetrics.Name(), headlampview.FactView.Name(), authconfig.Fact.Name()},
			Hint: "The API server has not loaded the configuration you expect: check the file it reads (--authentication-config), " +
				"its logs for `jwt` errors, and that it reaches the issuer's discovery and JWKS with the configured certificateAuthority",
			Explain: "A JWKS series labelled with sha256 of Headlamp's issuer shows the issuer is configured; before the " +
				"first token of that issuer, the configuration hash equal to the file given with --authentication-config " +
				"shows the same." + metricsExplain,
			Run: checkAuthnMetrics,
		},
		{
			ID: IDConfigLoaded, Title: "The API server runs the authentication configuration file", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI},
			Needs: []engine.FactName{FactMetrics.Name(), authconfig.Fact.Name()},
			Hint: "<apiserver> runs configuration <running>, not the file: it re-reads --authentication-config within a minute and " +
				"keeps the old configuration when the new one fails (its log says `failed to load` or `failed to validate " +
				"authentication config`; `anonymous` may not change without a restart). Fix the file on that API server's host, " +
				"or restart it; with several API servers, give each the same file",
			Explain: "The hash label of apiserver_authentication_config_controller_last_config_info (sha256 of the file the " +
				"API server loaded) is compared with sha256 of the file given with --authentication-config, and the last " +
				"automatic reload's status (..._automatic_reload_last_timestamp_seconds): when the hashes differ, a failure newer " +
				"than the last success means the API server refused the file now on its disk and still runs the one before. " +
				"Without the file a failed reload alone is only named: a file put back as it was leaves the failure with no " +
				"success after it." + metricsExplain,
			Run: checkConfigLoaded,
		},
		{
			ID: IDJWKSFetch, Title: "The API server fetches the signing keys of Headlamp's issuer", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI, hlcheck.IDOIDC},
			Needs: []engine.FactName{FactMetrics.Name(), headlampview.FactView.Name()},
			Hint: "<apiserver> could not fetch the keys of <issuer> at its last try, so tokens signed with a key it lacks get 401: " +
				"check that it reaches the issuer's jwks_uri (DNS, proxy, NetworkPolicy) and verifies it with " +
				"jwt[].issuer.certificateAuthority (IDP-APISERVER-TRUST); its log says `oidc` with the error",
			Explain: "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds, labelled with sha256 of the " +
				"issuer and the result, gives the time of the last successful and of the last failed fetch. The API server " +
				"fetches the keys for the first token of the issuer it verifies, and again for a token signed with a key it " +
				"lacks once its copy expired (the IdP's Cache-Control)." + metricsExplain,
			Run: checkJWKSFetch,
		},
	}
}

// at renders a metric's time for messages.
func at(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}
