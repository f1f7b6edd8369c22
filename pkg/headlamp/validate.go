package headlamp

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
)

// CheckIssuerURL accepts what OIDC discovery and the API server accept as an issuer: an https URL
// with a host and without user info, query or fragment.
func CheckIssuerURL(s string) error {
	u, err := url.Parse(s)
	shown := redact.URLs(s) // a password in the URL is never repeated
	switch {
	case s == "":
		return errors.New("is required")
	case err != nil:
		return errors.New("is " + redact.ParseError(s, err))
	case u.Scheme != "https":
		return fmt.Errorf("%q must use https (OIDC issuers are https URLs)", shown)
	case u.Host == "":
		return fmt.Errorf("%q has no host", shown)
	case u.User != nil:
		return fmt.Errorf("%q must not carry user info (a user name or password before @): remove it", shown)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("%q must not have a query", shown)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return fmt.Errorf("%q must not have a fragment", shown)
	}
	return nil
}

// CheckCallbackURL accepts an absolute http(s) URL without user info or fragment; Headlamp serves the callback at
// <base-url>/oidc-callback, and the same URL must be registered at the IdP.
func CheckCallbackURL(s string) error {
	u, err := url.Parse(s)
	shown := redact.URLs(s)
	switch {
	case err != nil:
		return errors.New("is " + redact.ParseError(s, err))
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return fmt.Errorf("%q must be an absolute http or https URL", shown)
	case u.User != nil:
		return fmt.Errorf("%q must not carry user info (a user name or password before @): remove it", shown)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return fmt.Errorf("%q must not have a fragment", shown)
	case !strings.HasSuffix(u.Path, "/oidc-callback"):
		return fmt.Errorf("%q must end in /oidc-callback, the path Headlamp serves the callback on", shown)
	}
	return nil
}

// CheckBaseURL accepts "" or a path starting with "/" and not ending with one.
func CheckBaseURL(s string) error {
	if s == "" {
		return nil
	}
	if !strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.ContainsAny(s, "?# ") {
		return fmt.Errorf("%q must be a path like /headlamp: starting with / and not ending with one", s)
	}
	return nil
}

// ParseScopes accepts scopes separated by commas and/or spaces and returns them as Headlamp wants
// them: no duplicates, and without openid, which Headlamp always adds itself.
func ParseScopes(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	var scopes []string
	for _, f := range fields {
		for _, r := range f {
			if r < 0x21 || r == '"' || r == '\\' || r > 0x7e {
				return nil, fmt.Errorf("scope %q has a character OAuth 2.0 does not allow in a scope", f)
			}
		}
		if f != "openid" && !slices.Contains(scopes, f) {
			scopes = append(scopes, f)
		}
	}
	if len(scopes) == 0 {
		return nil, errors.New("needs at least one scope besides openid (Headlamp switches OIDC off without scopes)")
	}
	return scopes, nil
}
