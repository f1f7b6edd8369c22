package login

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// DefaultPort is the local port of the port-forward. The Capsule and Headlamp guides use
// `kubectl port-forward ... 8080:80`, so an IdP set up by them already has
// http://localhost:8080/oidc-callback registered for Headlamp.
const DefaultPort = 8080

// defaultCluster is the cluster name in Headlamp's URLs when -in-cluster-context-name is unset: the
// chart's value, and the one Headlamp's guides use.
const defaultCluster = "main"

// Cluster is the in-cluster cluster name Headlamp puts in its URLs.
func Cluster(s headlamp.Settings) string {
	if s.InClusterContextName != "" {
		return s.InClusterContextName
	}
	return defaultCluster
}

// DeepLink is the page login opens: path (default: the OIDC sign-in, /oidc?cluster=<cluster>, which
// sends the browser straight to the IdP) under site.
func DeepLink(site, path string, s headlamp.Settings) string {
	if path == "" {
		if configured, _ := OIDCSignIn(s); configured {
			path = "/oidc?cluster=" + url.QueryEscape(Cluster(s))
		} else {
			// Without OIDC Headlamp has no /oidc: its sign-in page asks for a token instead.
			path = "/c/" + url.PathEscape(Cluster(s)) + "/login"
		}
	}
	return strings.TrimSuffix(site, "/") + path
}

// Origin returns scheme://host[:port] of an absolute URL.
func Origin(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// OIDCSignIn tells whether Headlamp offers OIDC sign-in: client id, issuer and scopes all set (scopes
// default to "profile,email" in Headlamp when not given). known is false when some of them live in
// Secrets or ConfigMaps that could not be read; configured is then a guess (true).
func OIDCSignIn(s headlamp.Settings) (configured, known bool) {
	o := s.OIDC
	_, scopesGiven := s.Sources[headlamp.FlagOIDCScopes]
	scopes := len(o.Scopes) > 0 || !scopesGiven
	if o.ClientID != "" && o.IssuerURL != "" && scopes {
		return true, true
	}
	for _, f := range []struct {
		flag  headlamp.Setting
		empty bool
	}{
		{headlamp.FlagOIDCClientID, o.ClientID == ""},
		{headlamp.FlagOIDCIssuerURL, o.IssuerURL == ""},
		{headlamp.FlagOIDCScopes, !scopes},
	} {
		if src, ok := s.Sources[f.flag]; ok && f.empty && !src.Literal() {
			return true, false
		}
	}
	return false, true
}
