package headlamp

import (
	"fmt"
	"strings"
)

// WireScopes are the scopes the IdP receives for Headlamp's -oidc-scopes elements (split on commas):
// Headlamp prepends openid and the OAuth2 library joins the elements with spaces, so "profile email"
// and "profile,email" ask for the same. An empty element (",," or a trailing comma) or another
// separator (";", "|", a tab) is a mistake, returned as an error.
func WireScopes(elements []string) ([]string, error) {
	asked := []string{"openid"}
	for _, e := range elements {
		switch {
		case strings.TrimSpace(e) == "":
			return nil, fmt.Errorf("an empty scope in %q (two commas, or a trailing one)", strings.Join(elements, ","))
		case strings.ContainsAny(e, ";|\t\n\r"):
			return nil, fmt.Errorf("scope %q has a separator Headlamp does not split on (use commas or spaces)", e)
		}
		for _, s := range strings.Fields(e) {
			if s != "openid" {
				asked = append(asked, s)
			}
		}
	}
	return asked, nil
}
