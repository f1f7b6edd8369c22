package headlamp

import (
	"fmt"
	"net/url"
	"strings"
)

// SiteURL is Headlamp's root as a browser reaches it on origin (scheme://host[:port]): the origin
// followed by Headlamp's -base-url.
func SiteURL(origin string, s Settings) string {
	return strings.TrimSuffix(origin, "/") + strings.TrimSuffix(s.BaseURL, "/")
}

// RedirectURI is the redirect URI Headlamp sends to the IdP when the browser reaches it at site:
// -oidc-callback-url when set, else <scheme>://<host><base-url>/oidc-callback with the scheme and
// host the browser uses (a proxy in front must pass X-Forwarded-Proto for https).
func RedirectURI(site string, s Settings) (string, error) {
	if s.OIDC.CallbackURL != "" {
		return s.OIDC.CallbackURL, nil
	}
	u, err := url.Parse(site)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("derive the redirect URI from %q: not an absolute URL", site)
	}
	return u.Scheme + "://" + u.Host + strings.TrimSuffix(s.BaseURL, "/") + "/oidc-callback", nil
}
