package identity

import (
	"context"
	"errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// CategoryIDP groups the checks of the identity provider.
const CategoryIDP = "Identity provider"

// The identity provider checks.
const (
	IDIdPDiscovery         engine.ID = "IDP-DISCOVERY"
	IDIdPDiscoveryHeadlamp engine.ID = "IDP-DISCOVERY-HEADLAMP"
	IDIdPIssuerMatch       engine.ID = "IDP-ISSUER-MATCH"
	IDIdPAPIServerTrust    engine.ID = "IDP-APISERVER-TRUST"
	IDIdPKeys              engine.ID = "IDP-JWKS"
	IDIdPGroupsScope       engine.ID = "IDP-GROUPS-SCOPE"
	IDIdPClient            engine.ID = "IDP-CLIENT"
)

func idpChecks() []engine.Check {
	return []engine.Check{{
		ID: IDIdPDiscovery, Title: "The IdP's discovery document answers (as this plugin sees it)", Category: CategoryIDP,
		// The issuer comes from the Headlamp Deployment: without one (or without a cluster) there is
		// no IdP to ask, and HEADLAMP-FOUND already says why.
		Severity: engine.SeverityError, DependsOn: []engine.ID{hlcheck.IDFound}, Needs: names(idExpect, idDiscovery),
		Hint:    "Check that <issuer> is the IdP's issuer URL and that it answers; for a private CA pass --oidc-ca-file.",
		Explain: "Fetches <issuer>/.well-known/openid-configuration over TLS with the system roots plus --oidc-ca-file.",
		Run:     func(_ context.Context, f engine.Facts) engine.Result { return discoveryResult(f, "this plugin") },
	}, {
		ID: IDIdPDiscoveryHeadlamp, Title: "Headlamp trusts the IdP's certificate", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idExpect, idDiscovery),
		Hint:    "Give Headlamp the IdP's CA: mount it and add its folder to SSL_CERT_DIR (keeps the system roots), or set -oidc-ca-file to a bundle that holds it.",
		Explain: "Verifies the chain the IdP presented against what Headlamp trusts: its -oidc-ca-file alone, else the system roots plus SSL_CERT_DIR folders.",
		Run:     checkHeadlampTrust,
	}, {
		ID: IDIdPIssuerMatch, Title: "Headlamp, the API server and the IdP agree on the issuer string", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idExpect, idDiscovery),
		Hint:    "Use the discovery document's issuer exactly (a trailing slash counts) in Headlamp's -oidc-idp-issuer-url and in the AuthenticationConfiguration's jwt[].issuer.url.",
		Explain: "Every verifier compares the token's iss with its configured issuer as plain strings.",
		Run:     checkIssuerMatch,
	}, {
		ID: IDIdPAPIServerTrust, Title: "The API server's certificateAuthority verifies the IdP", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idExpect, idDiscovery),
		Hint:    "Put the IdP's CA (PEM) in jwt[].issuer.certificateAuthority of the AuthenticationConfiguration; the API server re-reads the file within a minute.",
		Explain: "The API server fetches discovery and keys itself; with a CA that does not verify the IdP every token gets 401.",
		Run:     checkAPIServerTrust,
	}, {
		ID: IDIdPKeys, Title: "The IdP publishes signing keys", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idKeySet),
		Hint: "Check the jwks_uri of the discovery document: it must answer with at least one public signing key.",
		Run: func(_ context.Context, f engine.Facts) engine.Result {
			ks, err := idKeySet.Get(f)
			if err != nil {
				return idpProblem(err)
			}
			return engine.Pass("%d key(s) at %s", len(ks.Keys), ks.URL).With("keys", keyIDs(ks))
		},
	}, {
		ID: IDIdPGroupsScope, Title: "The IdP offers the groups scope", Category: CategoryIDP,
		Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idDiscovery),
		Hint: "Without a groups claim the user is in no Capsule group: enable the groups scope (or claim) at the IdP.",
		Run: func(_ context.Context, f engine.Facts) engine.Result {
			d, err := idDiscovery.Get(f)
			if err != nil {
				return idpProblem(err)
			}
			if !d.Supports("groups") {
				return engine.Problem("scopes_supported does not list groups").With("scopes supported", d.ScopesSupported)
			}
			return engine.Pass("groups is among the advertised scopes")
		},
	}, {
		ID: IDIdPClient, Title: "The IdP accepts Headlamp's client credentials", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idExpect, idDiscovery, idPluginHTTP),
		Hint: "Set Headlamp's client secret to the one registered at the IdP for client <client-id> (the Secret Headlamp reads it from), then restart Headlamp.",
		Run:  checkClient,
	}, redirectURIsCheck()}
}

func discoveryResult(f engine.Facts, who string) engine.Result {
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	d, err := idDiscovery.Get(f)
	if errors.Is(err, errNoHeadlampOIDC) {
		return unknownFrom(err)
	}
	if err != nil {
		return idpProblem(err).With("issuer", exp.Issuer).With("seen by", who)
	}
	r := engine.Pass("%s answers; issuer %q", oidc.WellKnownURL(exp.Issuer), d.Issuer).With("issuer", exp.Issuer)
	if len(d.PeerCertificates) > 0 {
		r = r.With("chain", chainOf(d.PeerCertificates))
	}
	return r
}

// idpProblem explains a failed request to the IdP by its cause.
func idpProblem(err error) engine.Result {
	switch oidc.Classify(err) {
	case oidc.ReasonTimeout:
		return engine.Problem("the IdP did not answer in time (hung or filtered): %v", err).With("cause", string(oidc.ReasonTimeout))
	case oidc.ReasonUntrusted:
		return engine.Problem("the IdP's certificate is signed by an authority that is not trusted: %v", err).With("cause", string(oidc.ReasonUntrusted))
	}
	return engine.Problem("%v", err).With("cause", string(oidc.Classify(err)))
}

// idpInputs reads what most IdP checks judge: Headlamp's expectation and the discovery document.
// A non-nil verdict is the result when one is missing: unknown without the expectation, the IdP's
// problem without discovery.
func idpInputs(f engine.Facts) (Expectation, *oidc.Discovery, *engine.Result) {
	exp, err := idExpect.Get(f)
	if err != nil {
		r := unknownFrom(err)
		return exp, nil, &r
	}
	d, err := idDiscovery.Get(f)
	if err != nil {
		r := idpProblem(err)
		return exp, nil, &r
	}
	return exp, d, nil
}

func checkIssuerMatch(_ context.Context, f engine.Facts) engine.Result {
	exp, d, verdict := idpInputs(f)
	if verdict != nil {
		return *verdict
	}
	r := engine.Pass("%q everywhere", d.Issuer).With("discovery", d.Issuer).With("headlamp", exp.TokenIssuer())
	if exp.APIServer != nil {
		r = r.With("api server", exp.APIServer.Issuer)
	}
	if err := oidc.CompareIssuers(d.Issuer, exp.TokenIssuer()); err != nil {
		return engine.Problem("Headlamp's %v: use the discovery document's %q", err, d.Issuer).With("discovery", d.Issuer).With("headlamp", exp.TokenIssuer())
	}
	if exp.APIServer != nil {
		if err := oidc.CompareIssuers(d.Issuer, exp.APIServer.Issuer); err != nil {
			return engine.Problem("the API server's %v: use the discovery document's %q", err, d.Issuer).With("discovery", d.Issuer).With("api server", exp.APIServer.Issuer)
		}
	}
	return r
}

func checkClient(ctx context.Context, f engine.Facts) engine.Result {
	exp, d, verdict := idpInputs(f)
	if verdict != nil {
		return *verdict
	}
	hc, err := idPluginHTTP.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	if exp.ClientSecret.IsZero() {
		if exp.ClientSecretErr != nil {
			r := area.CouldNotLook(exp.ClientSecretErr)
			r.Message += " (or pass --oidc-client-secret-file)"
			return r
		}
		return engine.Unknown("Headlamp's client secret could not be read: pass --oidc-client-secret-file to check it")
	}
	c := oidc.Client{ID: exp.ClientID, Secret: exp.ClientSecret, TokenURL: d.TokenEndpoint, AuthURL: d.AuthorizationEndpoint}
	probeCtx, cancel := answerWithin(ctx)
	defer cancel()
	err = oidc.ProbeClient(probeCtx, hc, c, exp.RedirectURL)
	switch {
	case errors.Is(err, oidc.ErrClientRejected):
		return engine.Problem("the token endpoint rejected client %q and its secret", exp.ClientID).WithVar("client-id", exp.ClientID)
	case err != nil:
		return idpProblem(err)
	}
	return engine.Pass("client %q authenticated at %s", exp.ClientID, d.TokenEndpoint).
		With("redirectURI", exp.RedirectURL).With("redirectURIFrom", exp.RedirectFrom)
}

func keyIDs(ks *oidc.KeySet) []string {
	var out []string
	for _, k := range ks.Info() {
		out = append(out, k.ID+" ("+k.Algorithm+")")
	}
	return out
}

// unknownFrom reports that an identity check could not look, with the reason; without an OIDC client
// in Headlamp the check does not apply.
func unknownFrom(err error) engine.Result {
	if errors.Is(err, errNoHeadlampOIDC) {
		return engine.NotApplicable("%v", err)
	}
	if _, ok := area.AccessOf(err); ok {
		return area.CouldNotLook(err) // names the permission doctor lacks, as the earlier areas do
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return engine.Unknown("timed out: %v", err)
	}
	return engine.Unknown("could not look: %v", err)
}
