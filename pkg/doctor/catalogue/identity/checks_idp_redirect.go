package identity

import (
	"context"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// IDIdPRedirectURIs asks the IdP about the redirect URI of every way Headlamp is reached.
const IDIdPRedirectURIs engine.ID = "IDP-REDIRECT-URIS"

func redirectURIsCheck() engine.Check {
	return engine.Check{
		ID: IDIdPRedirectURIs, Title: "The IdP accepts the redirect URI Headlamp sends from every way it is reached", Category: CategoryIDP,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIdPDiscovery}, Needs: names(idExpect, idDiscovery, idPluginHTTP),
		Hint: "Register each refused URI as a redirect URI of client <client-id> at the IdP (Dex: staticClients[].redirectURIs), " +
			"or set Headlamp's -oidc-callback-url to one it accepts. Headlamp builds the URI from the scheme and host the " +
			"browser uses plus -base-url: an Ingress that terminates TLS must pass X-Forwarded-Proto, or an https host sends an http URI",
		Explain: "For every way a browser reaches Headlamp (each Ingress host, https when it has TLS for it; each HTTPRoute " +
			"host with its Gateway listener's scheme; `kubectl capsule-headlamp login`'s port-forward to localhost:8080), the " +
			"redirect URI Headlamp sends from there: -oidc-callback-url when set, else <scheme>://<host><base-url>/oidc-callback. " +
			"Each is sent to the IdP's authorization endpoint with Headlamp's client id, the way login checks it before opening " +
			"the browser: an IdP that does not know the URI answers its error page (Dex: 400 \"Unregistered redirect_uri\"), " +
			"which a user would see after clicking sign in. One line per URI; each refused URI is named.",
		Run: checkRedirectURIs,
	}
}

// redirectAnswer is the IdP's verdict on one way in.
type redirectAnswer struct {
	way     headlampview.WayIn
	verdict oidc.RedirectVerdict
}

func checkRedirectURIs(ctx context.Context, f engine.Facts) engine.Result {
	exp, d, verdict := idpInputs(f)
	if verdict != nil {
		return *verdict
	}
	hc, err := idPluginHTTP.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	ways := exp.Ways
	if len(ways) == 0 && exp.RedirectURL != "" {
		ways = []headlampview.WayIn{{Via: exp.RedirectFrom, URI: exp.RedirectURL}}
	}
	if len(ways) == 0 {
		return engine.NotApplicable("no way to reach Headlamp is known, so no redirect URI")
	}
	client := oidc.NoRedirects(hc)
	answers := make([]redirectAnswer, len(ways))
	for i, w := range ways {
		answers[i] = redirectAnswer{way: w, verdict: oidc.CheckRedirectURIAt(ctx, client, d.AuthorizationEndpoint, exp.ClientID, w.URI)}
	}
	return judgeRedirectURIs(answers).WithVar("client-id", exp.ClientID)
}

// judgeRedirectURIs fails naming every refused URI, is unknown when the IdP could not be asked about
// one, and passes when it accepts them all; the message has one line per URI.
func judgeRedirectURIs(answers []redirectAnswer) engine.Result {
	lines := make([]string, len(answers))
	refused, unchecked := 0, 0
	for i, a := range answers {
		switch v := a.verdict; {
		case !v.Checked:
			unchecked++
			lines[i] = "not checked: " + a.way.String() + ": " + v.Reason
		case v.Accepted:
			lines[i] = "accepted: " + a.way.String()
		default:
			refused++
			lines[i] = fmt.Sprintf("refused: %s: the IdP answered %d %s", a.way.String(), v.Status, v.Reason)
		}
	}
	n, list := len(answers), strings.Join(lines, "\n")
	switch {
	case refused > 0:
		return engine.Problem("the IdP refuses %d of %d redirect URI(s) Headlamp sends:\n%s", refused, n, list).With("redirect URIs", lines)
	case unchecked > 0:
		return engine.Unknown("could not ask the IdP about %d of %d redirect URI(s):\n%s", unchecked, n, list).With("redirect URIs", lines)
	}
	uris := make([]string, n)
	for i, a := range answers {
		uris[i] = a.way.String()
	}
	if n == 1 {
		return engine.Pass("%s", uris[0]).With("redirect URIs", lines)
	}
	return engine.Pass("all %d: %s", n, strings.Join(uris, "; ")).With("redirect URIs", lines)
}
