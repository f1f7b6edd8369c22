package headlamplog

import "strings"

// The messages of Headlamp's backend that doctor knows (Headlamp's own words).
const (
	MessageProxySetup    = "Proxy setup"             // kubeconfig.SetupProxy, at start, per context
	MessageProxyError    = "http: proxy error"       // the reverse proxy to the cluster: no answer from it
	MessageProvider      = "failed to get provider"  // /oidc: the IdP's discovery failed
	MessageRefresh       = "failed to refresh token" // a request's token was due and could not be refreshed
	MessageExchange      = "failed to exchange token"
	MessageVerifyIDToken = "failed to verify ID Token"
	MessageCustomCA      = "couldn't add custom cert to context" // -oidc-ca-file held no certificate
)

// Kind is what a known error line says is wrong.
type Kind string

// The kinds of known error lines.
const (
	KindAPITrust       Kind = "api-trust"       // Headlamp does not trust the API endpoint (capsule-proxy)
	KindAPIUnreachable Kind = "api-unreachable" // Headlamp cannot connect to the API endpoint
	KindIssuerMismatch Kind = "issuer-mismatch" // Headlamp's issuer URL is not the discovery document's
	KindIDPTrust       Kind = "idp-trust"       // Headlamp does not trust the IdP
	KindRefresh        Kind = "refresh"         // a session's token could not be refreshed
	KindSignIn         Kind = "sign-in"         // the code exchange or the ID token failed at the callback
)

// Kinds lists the kinds in the order a report names them: the API path first, then the IdP, then sessions.
var Kinds = []Kind{KindAPITrust, KindAPIUnreachable, KindIssuerMismatch, KindIDPTrust, KindRefresh, KindSignIn}

// Classify says which known failure an entry reports; ok is false for any other line.
func Classify(e Entry) (Kind, bool) {
	tlsErr := strings.Contains(e.Error, "x509:") || strings.Contains(e.Error, "tls: ")
	switch e.Message {
	case MessageProxyError:
		if tlsErr {
			return KindAPITrust, true
		}
		return KindAPIUnreachable, true
	case MessageCustomCA:
		return KindIDPTrust, true
	case MessageProvider, MessageRefresh, MessageExchange, MessageVerifyIDToken:
	default:
		return "", false
	}
	switch {
	case strings.Contains(e.Error, "did not match the issuer URL returned by provider"):
		return KindIssuerMismatch, true
	case tlsErr:
		return KindIDPTrust, true
	case e.Message == MessageRefresh:
		return KindRefresh, true
	case e.Message == MessageProvider:
		return KindIDPTrust, true // discovery failed some other way: the IdP is not reachable as Headlamp reaches it
	}
	return KindSignIn, true
}

// Quote is the line in a few words: the message and its error.
func (e Entry) Quote() string {
	q := e.Message
	if e.Error != "" {
		q += ": " + e.Error
	}
	if len(q) > 300 {
		q = q[:300] + "..."
	}
	return q
}
