package identity

import (
	"context"
	"net/http"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// Env is what the identity checks look with. The command builds it once; each
// function field is called at most once per run, through a fact.
type Env struct {
	// Expect reads what Headlamp (and, when known, the API server) expect of the IdP and its tokens.
	// Nil inside a full run: Facts derives it from the Headlamp Deployment and --authentication-config.
	Expect func(ctx context.Context) (Expectation, error)
	// ClientSecret replaces the client secret read from Headlamp's Secret (--oidc-client-secret-file).
	ClientSecret oidc.Secret
	// PluginTrust is how this plugin reaches the IdP: the system roots plus the CA given on the
	// command line. The CAs Headlamp and the API server are configured with are added to it: what
	// they trust is judged by IDP-DISCOVERY-HEADLAMP and IDP-APISERVER-TRUST.
	PluginTrust oidc.Trust
	// Proxy is a fixed way to capsule-proxy (tests, callers without a cluster). Nil inside a full run:
	// Facts port-forwards to a ready proxy pod, with the name and CA Headlamp uses.
	Proxy *ProxyEndpoint
	// ProxyAddress, when set, is dialled instead of port-forwarding to a proxy pod (--proxy-address:
	// an Ingress or a port-forward of the user's own); name and CA stay Headlamp's.
	ProxyAddress string
	// TokenSource builds the source of the user's token once discovery is known; nil when the user
	// gave no token source, which skips the token checks.
	TokenSource func(exp Expectation, d *oidc.Discovery, hc *http.Client) (oidc.Source, error)
	// TokenFromIDP is true when the source talks to the IdP (password grant, browser): it then gets
	// the discovery document; a file source gets nil.
	TokenFromIDP bool
	// signedIn is true once ObtainFirst signed in at the IdP before the run: the run's source then
	// hands out that sign-in's tokens, the refresh token included.
	signedIn bool
	// Cluster answers with the user's token; nil skips the API server and Capsule checks.
	Cluster Cluster
}

// Expectation is what the other parties expect of the IdP: Headlamp's OIDC client, and the API
// server's JWT authenticator when its configuration is known.
type Expectation struct {
	Issuer            string
	ClientID          string
	ValidatorClientID string
	ValidatorIssuer   string
	Scopes            []string
	// ClientSecret is Headlamp's client secret, read from the Secret it uses (or the command line).
	ClientSecret oidc.Secret
	// ClientSecretErr says why doctor could not read the client secret (a forbidden Secret, say).
	ClientSecretErr error
	// HeadlampTrust is what Headlamp trusts for IdP calls: its -oidc-ca-file alone, or the system roots
	// plus any CA folder added through SSL_CERT_DIR.
	HeadlampTrust oidc.Trust
	// SessionTTL is how long Headlamp keeps a session (-session-ttl, or its default); zero when unknown.
	SessionTTL time.Duration
	// RedirectURL is the redirect URI Headlamp sends the IdP when reached the way login reaches it,
	// for the client probe; RedirectFrom says which way that is.
	RedirectURL  string
	RedirectFrom string
	// Ways are every way a browser reaches Headlamp with the redirect URI it sends from each; empty
	// when only RedirectURL is known.
	Ways []headlampview.WayIn
	// APIServer is the API server's JWT authenticator for this issuer; nil when unknown.
	APIServer *APIServerJWT
}

// AudienceClientID is the audience Headlamp verifies tokens for.
func (e Expectation) AudienceClientID() string {
	if e.ValidatorClientID != "" {
		return e.ValidatorClientID
	}
	return e.ClientID
}

// TokenIssuer is the issuer the token must carry: Headlamp's validator issuer when set.
func (e Expectation) TokenIssuer() string {
	if e.ValidatorIssuer != "" {
		return e.ValidatorIssuer
	}
	return e.Issuer
}

// Mapping is how the API server maps claims: its configuration when known, else the Capsule guide's.
func (e Expectation) Mapping() (oidc.Mapping, bool) {
	if e.APIServer != nil && !e.APIServer.Expressions {
		return e.APIServer.Mapping, true
	}
	return oidc.DefaultMapping(e.TokenIssuer()), false
}

// APIServerJWT is one jwt[] entry of the API server's AuthenticationConfiguration.
type APIServerJWT struct {
	Issuer    string
	Audiences []string
	// CAPEM is issuer.certificateAuthority; empty means the API server uses its system roots.
	CAPEM   []byte
	Mapping oidc.Mapping
	// Expressions is true when username or groups are mapped by CEL expressions, which Mapping
	// cannot represent: the guide's mapping is then assumed.
	Expressions bool
}

// Review is who a server says the token's bearer is (a SelfSubjectReview).
type Review struct {
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
}

// Cluster asks the cluster about the user's token. A rejected token is an error for which
// IsUnauthorized is true.
type Cluster interface {
	// ServerTime is the API server's clock (from a response's Date header).
	ServerTime(ctx context.Context) (time.Time, error)
	// Review sends a SelfSubjectReview with the token straight to the API server.
	Review(ctx context.Context, tok oidc.Secret) (Review, error)
	// ProxyReview sends it through capsule-proxy, reached at ep.
	ProxyReview(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret) (Review, error)
	// ProxyNamespaces lists the namespaces the token's bearer sees through capsule-proxy.
	ProxyNamespaces(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret) ([]string, error)
	// ProxyRequests sends the requests through capsule-proxy, reached at ep, as the token's bearer,
	// all at once, and returns the answers in the same order.
	ProxyRequests(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret, reqs []ProxyRequest) []ProxyAnswer
	// TenantOwners maps each Tenant to its owners.
	TenantOwners(ctx context.Context) (map[string][]rbacv1.Subject, error)
}
