package identity

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// CategorySession groups the checks of how long a Headlamp session lasts.
const CategorySession = "Session"

// The session checks.
const (
	IDSessionRefreshToken engine.ID = "SESSION-REFRESH-TOKEN"
	IDSessionRefresh      engine.ID = "SESSION-REFRESH"
	IDSessionLifetime     engine.ID = "SESSION-LIFETIME"
)

// Headlamp renews a session's ID token with the refresh token only when the token is this close to
// its expiry (backend, since PR #1636; reference/headlamp.md).
const headlampRefreshBefore = 10 * time.Second

// shortLifetime is the ID token lifetime under which sessions depend on a refresh every few minutes:
// each one a chance to fail (an IdP that rate-limits or rotates refresh tokens, a pod restart).
const shortLifetime = 5 * time.Minute

func sessionChecks() []engine.Check {
	return []engine.Check{{
		ID: IDSessionRefreshToken, Title: "The IdP gives Headlamp's client a refresh token", Category: CategorySession,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDTokenObtained}, Needs: names(idExpect, idToken),
		Hint: "Let the IdP issue refresh tokens to client <client-id> for the offline_access scope (some IdPs need refresh tokens " +
			"enabled per client, or the user's consent to offline access).",
		Explain: "Headlamp keeps the refresh token of a sign-in and renews the ID token with it shortly before it expires; " +
			"without one (\"refresh token is not set\" in its log) the session ends with the ID token. Doctor signs in with " +
			"Headlamp's client and scopes and looks for a refresh token in the answer; a token from a file cannot tell.",
		Run: checkRefreshToken,
	}, {
		ID: IDSessionRefresh, Title: "A refresh grant with Headlamp's client and trust succeeds", Category: CategorySession,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDSessionRefreshToken, IDIdPDiscovery}, Needs: names(idExpect, idRefresh),
		Hint: "Allow the refresh_token grant for client <client-id> at the IdP (Dex: list refresh_token in oauth2.grantTypes), " +
			"and give Headlamp the IdP's CA for refreshes as for sign-ins (-oidc-ca-file, or SSL_CERT_DIR; -insecure-ssl does not cover refreshes).",
		Explain: "Redeems the sign-in's refresh token at the token endpoint as Headlamp does: the refresh_token grant with " +
			"Headlamp's client id and secret, over a client that trusts what Headlamp trusts. The IdP may refuse the grant, " +
			"the client, or the token; Headlamp then forwards an expired token and the user gets 401.",
		Run: checkRefresh,
	}, {
		ID: IDSessionLifetime, Title: "ID tokens last the session, or Headlamp can refresh them", Category: CategorySession,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDTokenObtained}, Needs: names(idExpect, idToken, idRefresh),
		Hint: "Make refreshes work (SESSION-REFRESH-TOKEN, SESSION-REFRESH, offline_access in Headlamp's scopes), or lower " +
			"Headlamp's -session-ttl to the ID token lifetime; lengthen very short ID token lifetimes at the IdP.",
		Explain: "Compares the ID token's lifetime (exp - iat) with Headlamp's -session-ttl (default 86400 s). Headlamp " +
			"refreshes 10 s before expiry: tokens living under 5 minutes make it refresh every few minutes (a warning); " +
			"tokens that end within the session while no refresh is possible end every session early (a failure).",
		Run: checkLifetime,
	}}
}

func checkRefreshToken(_ context.Context, f engine.Facts) engine.Result {
	exp, t, err := refreshInputs(f)
	switch {
	case errors.Is(err, errNoOfflineAccess):
		return engine.NotApplicable("%v", err)
	case errors.Is(err, errTokenFromFile):
		return engine.NeedsInput("a sign-in at the IdP (--username or --browser)", "%v", err)
	case errors.Is(err, errNoRefreshIssued):
		return engine.Problem("the sign-in asked for offline_access with client %q, but the IdP's answer holds no refresh token", exp.ClientID).
			WithVar("client-id", exp.ClientID)
	case err != nil:
		return unknownFrom(err)
	}
	return engine.Pass("client %q got a refresh token with the ID token (%s)", exp.ClientID, t.Source)
}

func checkRefresh(_ context.Context, f engine.Facts) engine.Result {
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	got, err := idRefresh.Get(f)
	if err == nil {
		_, perr := oidc.ParseToken(got.ID)
		if perr != nil {
			return engine.Problem("the refresh grant answered an ID token that does not parse: %v", perr)
		}
		return engine.Pass("client %q renewed the ID token, trusting what Headlamp trusts (%s)", exp.ClientID, trustDescription(exp.HeadlampTrust))
	}
	var oe *oidc.OAuthError
	switch {
	case errors.Is(err, oidc.ErrClientRejected):
		return engine.Problem("the token endpoint rejected client %q and its secret on the refresh grant", exp.ClientID).WithVar("client-id", exp.ClientID)
	case errors.As(err, &oe):
		return engine.Problem("the IdP refused the refresh grant of client %q: %s", exp.ClientID, strings.TrimSpace(oe.Code+" "+oe.Description)).
			With("oauth error", oe.Code).WithVar("client-id", exp.ClientID)
	case trustFailure(err):
		return engine.Problem("with what Headlamp trusts (%s): %v", trustDescription(exp.HeadlampTrust), err).WithVar("client-id", exp.ClientID)
	case oidc.Classify(err) == oidc.ReasonTimeout:
		return idpProblem(err)
	}
	return unknownFrom(err)
}

func checkLifetime(_ context.Context, f engine.Facts) engine.Result {
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	t, err := idToken.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	c := t.Parsed.Claims
	if c.Expiry.IsZero() || c.IssuedAt.IsZero() {
		return engine.Unknown("the token carries no exp or iat claim: its lifetime is unknown")
	}
	life := c.Expiry.Sub(c.IssuedAt)
	_, refreshErr := idRefresh.Get(f)
	r := judgeLifetime(life, exp.SessionTTL, refreshErr)
	r = r.With("id token lifetime", human(life)).With("refresh", refreshState(refreshErr))
	if exp.SessionTTL > 0 {
		r = r.With("session ttl", human(exp.SessionTTL))
	}
	return r
}

// judgeLifetime weighs the ID token's lifetime against the session and whether a refresh works.
func judgeLifetime(life, session time.Duration, refreshErr error) engine.Result {
	endsEarly := session == 0 || life < session
	switch {
	case refreshImpossible(refreshErr) && endsEarly:
		within := "Headlamp's -session-ttl is unknown"
		if session > 0 {
			within = "before the session's " + human(session) + " (-session-ttl)"
		}
		return engine.Problem("ID tokens live %s and Headlamp cannot refresh them (%v): every session ends after %s, %s",
			human(life), refreshErr, human(life), within)
	case life < shortLifetime:
		return engine.Warn("ID tokens live only %s: Headlamp refreshes %s before expiry, so every %s", human(life),
			human(headlampRefreshBefore), human(max(life-headlampRefreshBefore, 0)))
	case errors.Is(refreshErr, errTokenFromFile) && endsEarly:
		return engine.Unknown("ID tokens live %s, less than the session: whether Headlamp can refresh them needs a sign-in at the IdP (--username or --browser)", human(life))
	case refreshErr != nil && endsEarly:
		return engine.Unknown("ID tokens live %s, less than the session: whether Headlamp can refresh them is unknown: %v", human(life), refreshErr)
	case refreshErr != nil:
		return engine.Pass("ID tokens live %s, as long as the session (%s)", human(life), human(session))
	}
	return engine.Pass("ID tokens live %s; Headlamp refreshes them %s before expiry", human(life), human(headlampRefreshBefore))
}

func refreshState(err error) string {
	switch {
	case err == nil:
		return "works"
	case refreshImpossible(err):
		return "impossible"
	}
	return "unknown"
}

// human prints a duration without trailing zero units: 24h, 1h30m, 2m, 45s.
func human(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
