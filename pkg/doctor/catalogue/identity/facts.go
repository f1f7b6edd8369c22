package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// The facts of the identity checks, each produced once per run.
const (
	idExpect          engine.Key[Expectation]                 = "identity-expectation"
	idPluginHTTP      engine.Key[*http.Client]                = "identity-plugin-http"
	idDiscovery       engine.Key[*oidc.Discovery]             = "identity-discovery"
	idKeySet          engine.Key[*oidc.KeySet]                = "identity-keyset"
	idToken           engine.Key[TokenFact]                   = "identity-token"
	idServerTime      engine.Key[ServerClock]                 = "identity-server-time"
	idReview          engine.Key[ReviewFact]                  = "identity-review-apiserver"
	idProxyReview     engine.Key[ReviewFact]                  = "identity-review-proxy"
	idProxyNamespaces engine.Key[NamespacesFact]              = "identity-proxy-namespaces"
	idProxyEndpoint   engine.Key[*ProxyEndpoint]              = "identity-proxy-endpoint"
	idHeadlampConn    engine.Key[*HeadlampConn]               = "identity-headlamp-conn"
	idTenants         engine.Key[map[string][]rbacv1.Subject] = "identity-tenant-owners"
)

// ErrNoTokenSource is the token fact's error when the user gave no way to get a token.
var ErrNoTokenSource = errors.New("no token source: pass --token-file, --username or --browser")

// MissingUserToken is what the token checks lack without a token source, as the sign-in chain says it.
const MissingUserToken = "a user token (--token-file, --username or --browser)" //nolint:gosec // names flags, holds no credential

var errNoCluster = errors.New("no cluster connection for the identity checks")

var errNoProxy = errors.New("capsule-proxy is not reachable from here: pass --proxy-address after `kubectl port-forward -n capsule-system svc/capsule-proxy 9001`")

// TokenFact is the user's token, parsed, and the refresh token the sign-in gave with it (zero for a
// token from a file, or when the IdP issued none). Both are Secrets: they never print.
type TokenFact struct {
	Source  string
	Token   oidc.Secret
	Refresh oidc.Secret
	// FromIDP is true when doctor signed in at the IdP itself (password grant, browser), so that a
	// missing refresh token is the IdP's answer, not a file's limit.
	FromIDP bool
	Parsed  *oidc.Parsed
}

// ServerClock is the time the API server's clock showed, or the local time when it could not be read.
type ServerClock struct {
	Now        time.Time
	FromServer bool
}

// NamespacesFact is what the token's bearer lists through capsule-proxy, or why it cannot.
type NamespacesFact struct {
	Names []string
	Err   error
}

// ReviewFact is a SelfSubjectReview's answer, or why there is none.
type ReviewFact struct {
	Review Review
	Err    error
}

// idpFacts are what Headlamp expects, the IdP as the plugin sees it, and the user's token.
func idpFacts(env Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(idExpect, nil, func(ctx context.Context, _ engine.Facts) (Expectation, error) {
			if env.Expect == nil {
				return Expectation{}, errors.New("nothing says what Headlamp expects of the IdP")
			}
			return env.Expect(ctx)
		}),
		engine.Define(idPluginHTTP, names(idExpect), func(_ context.Context, in engine.Facts) (*http.Client, error) {
			exp, err := idExpect.Get(in)
			if err != nil {
				return nil, err
			}
			return pluginTrust(env.PluginTrust, exp).HTTPClient()
		}),
		engine.Define(idDiscovery, names(idExpect, idPluginHTTP), func(ctx context.Context, in engine.Facts) (*oidc.Discovery, error) {
			exp, hc, err := expectAndClient(in)
			if err != nil {
				return nil, err
			}
			ctx, cancel := answerWithin(ctx)
			defer cancel()
			return oidc.Discover(ctx, hc, exp.Issuer)
		}),
		engine.Define(idKeySet, names(idDiscovery, idPluginHTTP), func(ctx context.Context, in engine.Facts) (*oidc.KeySet, error) {
			d, err := idDiscovery.Get(in)
			if err != nil {
				return nil, err
			}
			hc, err := idPluginHTTP.Get(in)
			if err != nil {
				return nil, err
			}
			ctx, cancel := answerWithin(ctx)
			defer cancel()
			return oidc.FetchKeySet(ctx, hc, d.JWKSURI)
		}),
		tokenFact(env),
	}
}

// tokenFact is the user's token; without a token source it is absent from the start, so that
// TOKEN-OBTAINED says so even in a run cut short.
func tokenFact(env Env) engine.Fact {
	f := engine.Define(idToken, tokenNeeds(env), func(ctx context.Context, in engine.Facts) (TokenFact, error) {
		return obtainToken(ctx, env, in)
	})
	if env.TokenSource == nil {
		f.Absent = ErrNoTokenSource
	}
	return f
}

// tokenNeeds names what the token source needs: a sign-in needs Headlamp's client and the IdP's
// discovery; a token from a file needs nothing, so that a tenant who may not read Headlamp's
// Deployment, or an IdP that does not answer, still leaves the API server a token to review.
func tokenNeeds(env Env) []engine.FactName {
	if env.TokenFromIDP {
		return names(idExpect, idPluginHTTP, idDiscovery)
	}
	return nil
}

func names(keys ...interface{ Name() engine.FactName }) []engine.FactName {
	out := make([]engine.FactName, len(keys))
	for i, k := range keys {
		out[i] = k.Name()
	}
	return out
}

func expectAndClient(in engine.Facts) (Expectation, *http.Client, error) {
	exp, err := idExpect.Get(in)
	if err != nil {
		return exp, nil, err
	}
	hc, err := idPluginHTTP.Get(in)
	return exp, hc, err
}

// obtainToken gets and parses the user's token. A file needs nothing else; a password grant or a
// browser sign-in needs discovery (the token endpoint) and Headlamp's client.
func obtainToken(ctx context.Context, env Env, in engine.Facts) (TokenFact, error) {
	src, err := tokenSource(env, in)
	if err != nil {
		return TokenFact{}, err
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return TokenFact{Source: src.Describe()}, err
	}
	p, err := oidc.ParseToken(tok.ID)
	return TokenFact{Source: src.Describe(), Token: tok.ID, Refresh: tok.Refresh, FromIDP: env.TokenFromIDP || env.signedIn, Parsed: p}, err
}

// tokenSource builds env's token source from the facts tokenNeeds names.
func tokenSource(env Env, in engine.Facts) (oidc.Source, error) {
	if env.TokenSource == nil {
		return nil, ErrNoTokenSource
	}
	if !env.TokenFromIDP {
		return env.TokenSource(Expectation{}, nil, nil)
	}
	exp, hc, err := expectAndClient(in)
	if err != nil {
		return nil, &tokenNeedsError{err: err}
	}
	d, err := idDiscovery.Get(in)
	if err != nil {
		return nil, fmt.Errorf("the IdP's discovery document is needed to get a token: %w", err)
	}
	return env.TokenSource(exp, d, hc)
}

// tokenNeedsError is a sign-in that could not start because doctor could not read Headlamp's client
// (a missing permission, an API server that did not answer): TOKEN-OBTAINED then could not look, it
// found no problem with the user's sign-in.
type tokenNeedsError struct{ err error }

func (e *tokenNeedsError) Error() string {
	return "read Headlamp's OIDC client to sign in with: " + e.err.Error()
}
func (e *tokenNeedsError) Unwrap() error { return e.err }
