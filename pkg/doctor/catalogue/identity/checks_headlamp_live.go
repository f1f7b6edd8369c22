package identity

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// CategoryLive groups the probes that ask a running Headlamp pod itself.
const CategoryLive = "Headlamp, probed live"

// The live probes through Headlamp: they give the verdict for their hops, the configuration checks explain it.
const (
	IDHeadlampOIDCLive engine.ID = "HEADLAMP-OIDC-LIVE"
	IDHeadlampAPILive  engine.ID = "HEADLAMP-API-LIVE"
)

// The causes the live probes name.
const (
	causeIssuerMismatch = "issuer-mismatch"
	causeIDPTrust       = "idp-trust"
	causeProxyTrust     = "proxy-trust"
	causeProxyReach     = "proxy-unreachable"
	causeIdentity       = "identity"
)

func headlampLiveChecks() []engine.Check {
	return []engine.Check{{
		ID: IDHeadlampOIDCLive, Title: "Headlamp sends a browser to the IdP's sign-in page", Category: CategoryLive,
		Severity: engine.SeverityError, DependsOn: []engine.ID{hlcheck.IDReady, hlcheck.IDOIDC},
		Needs: names(idHeadlampConn, idOIDCProbe, idExpect, idDiscovery),
		Hint: "Headlamp's /oidc did not redirect to the IdP as configured: read its log (kubectl -n <namespace> logs <pod>) " +
			"and the configuration checks of Headlamp and the IdP above",
		Causes: []engine.Cause{{Name: causeIssuerMismatch, When: "Headlamp's issuer URL is not the one the IdP's discovery document returns",
			Hint: "Set Headlamp's -oidc-idp-issuer-url (HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL) to exactly the discovery document's issuer " +
				"<discovery-issuer>, as in the API server's jwt[].issuer.url; Headlamp reads it at start (re-running install restarts it)"},
			{Name: causeIDPTrust, When: "Headlamp does not trust the IdP's certificate",
				Hint: "Give Headlamp the IdP's CA (IDP-DISCOVERY-HEADLAMP says what it trusts): mount it and add its folder to SSL_CERT_DIR, " +
					"or set -oidc-ca-file; re-running `kubectl capsule-headlamp install --oidc-ca-file FILE` does both and restarts Headlamp"}},
		Explain: "GET /oidc?cluster=<in-cluster context> on a ready Headlamp pod through a port-forward, without any credential, as a " +
			"browser starts a sign-in. Headlamp fetches the IdP's discovery document with its own trust and answers 302 to the " +
			"authorization endpoint with client_id, redirect_uri and scope, which must be what it is configured with; on a failed " +
			"discovery it answers 500 with its own error text (an issuer mismatch, an untrusted certificate), reported as is.",
		Run: checkHeadlampOIDCLive,
	}, {
		ID: IDHeadlampAPILive, Title: "The user's requests through Headlamp reach the cluster", Category: CategoryLive,
		Severity: engine.SeverityError, DependsOn: []engine.ID{hlcheck.IDReady, IDTokenObtained},
		Needs: names(idHeadlampConn, idToken, idAPIProbe, idHeadlampLog),
		Hint: "A 502 whose cause doctor could not read means Headlamp could not reach or did not trust capsule-proxy: see " +
			"HEADLAMP-API-HOST, HEADLAMP-CA, HEADLAMP-RESTART and PROXY-TLS-LIVE, and read kubectl -n <namespace> logs <pod>; " +
			"any other answer is quoted above",
		Causes: []engine.Cause{{Name: causeProxyTrust, When: "Headlamp's TLS client rejected capsule-proxy's certificate (its log says x509 or tls)",
			Hint: "Headlamp does not trust what capsule-proxy serves. Headlamp reads the proxy CA only at start: after a CA rotation restart " +
				"it (kubectl -n <namespace> rollout restart deployment/<deployment>; re-running install restarts it too); otherwise " +
				"HEADLAMP-CA and PROXY-TLS-LIVE say which side is wrong"},
			{Name: causeProxyReach, When: "Headlamp could not connect to capsule-proxy",
				Hint: "Headlamp cannot connect to capsule-proxy: see HEADLAMP-API-HOST (its KUBERNETES_SERVICE_HOST/PORT) and PROXY-ENDPOINTS"},
			{Name: causeIdentity, When: "capsule-proxy or the API server refused the user's token (401, 403)",
				Hint: "The token was refused on its way (capsule-proxy answers 403 for a token the API server does not accept): " +
					"REVIEW-APISERVER and REVIEW-PROXY rank the causes; a user who is not a Capsule user is refused namespaces (TENANT-USER-GROUP)"}},
		Explain: "With the user's token as `Authorization: Bearer`, which Headlamp forwards, through a ready Headlamp pod: GET " +
			"/clusters/<name>/version, a SelfSubjectReview and the first page of the namespace list (TENANT-NAMESPACES lists " +
			"them all), the path browser -> Headlamp -> capsule-proxy " +
			"-> API server -> Capsule. Headlamp answers 502 with an empty body when it cannot reach or trust capsule-proxy and " +
			"logs `http: proxy error: ...`, which doctor reads from the pod's log when it may (get pods/log). A keep-alive " +
			"connection opened before a CA rotation keeps working for about 90 s: HEADLAMP-RESTART covers that window.",
		Run: checkHeadlampAPILive,
	}, headlampLogCheck()}
}

func checkHeadlampOIDCLive(_ context.Context, f engine.Facts) engine.Result {
	c, err := idHeadlampConn.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	d, _ := idDiscovery.Get(f) // without it the redirect is judged without the endpoint
	a, err := idOIDCProbe.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	status, hdr, body := a.Status, a.Header, a.Body
	discovered := "the issuer field of " + oidc.WellKnownURL(exp.Issuer)
	if d != nil {
		discovered = d.Issuer
	}
	var r engine.Result
	switch status {
	case http.StatusFound, http.StatusSeeOther:
		r = judgeRedirect(hdr.Get("Location"), exp, c, d)
	case http.StatusInternalServerError:
		r = engine.Problem("Headlamp answered 500: %s", body).With("headlamp says", body).Because(oidcCause(body))
	default:
		r = engine.Problem("Headlamp answered %d to /oidc, not a redirect to the IdP: %s", status, firstLine(body))
	}
	return r.With("pod", c.Pod).WithVar("pod", c.Pod).WithVar("discovery-issuer", discovered)
}

// oidcCause maps Headlamp's own error text (go-oidc's) to a cause.
func oidcCause(body string) string {
	switch {
	case strings.Contains(body, "did not match the issuer URL returned by provider"):
		return causeIssuerMismatch
	case strings.Contains(body, "x509:"), strings.Contains(body, "tls: failed to verify"):
		return causeIDPTrust
	}
	return ""
}

// judgeRedirect checks Headlamp's redirect against what it is configured with.
func judgeRedirect(location string, exp Expectation, c *HeadlampConn, d *oidc.Discovery) engine.Result {
	loc, err := url.Parse(location)
	if err != nil || loc.Host == "" {
		return engine.Problem("Headlamp redirected to %q, not to an IdP", location)
	}
	endpoint := loc.Scheme + "://" + loc.Host + loc.Path
	if d != nil && d.AuthorizationEndpoint != "" && endpoint != d.AuthorizationEndpoint {
		return engine.Problem("Headlamp redirects to %s, the IdP's authorization endpoint is %s", endpoint, d.AuthorizationEndpoint)
	}
	q := loc.Query()
	wantRedirect := c.CallbackURL
	if wantRedirect == "" {
		wantRedirect = "http://" + probeHost + c.Base + "/oidc-callback"
	}
	wantScopes, _ := headlamp.WireScopes(exp.Scopes)
	gotScopes := strings.Fields(q.Get("scope"))
	switch {
	case q.Get("client_id") != exp.ClientID:
		return engine.Problem("the redirect asks for client %q, Headlamp is configured with %q", q.Get("client_id"), exp.ClientID)
	case q.Get("redirect_uri") != wantRedirect:
		return engine.Problem("the redirect_uri is %q, want %q", q.Get("redirect_uri"), wantRedirect)
	case !sameSet(gotScopes, wantScopes):
		return engine.Problem("the redirect asks for scopes %q, Headlamp is configured for %q", gotScopes, wantScopes)
	}
	return engine.Pass("302 to %s for client %s, scopes %s", endpoint, exp.ClientID, strings.Join(gotScopes, " ")).
		With("redirect_uri", wantRedirect)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// liveUnknown is a probe that could not reach Headlamp: doctor could not look, and says why.
func liveUnknown(err error) engine.Result {
	if errors.Is(err, errNoHeadlampPod) {
		return engine.NotApplicable("%v", err)
	}
	if _, ok := area.AccessOf(err); ok {
		return area.CouldNotLook(err)
	}
	return unknownFrom(err)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
