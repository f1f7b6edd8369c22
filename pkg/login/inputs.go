package login

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
)

// CheckURL accepts Headlamp's address as --url: an absolute http or https URL with a host, and
// without user info, query or fragment. Headlamp signs users in with OIDC, so a user name or password
// in the URL is a mistake at best, and one that would land in the browser's history: it is refused,
// and never repeated.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	shown := redact.URLs(raw)
	switch {
	case err != nil:
		return fmt.Errorf("is %s: give an http or https address like https://headlamp.example.com", redact.ParseError(raw, err))
	case u.User != nil:
		return fmt.Errorf("%q carries user info (a user name or password before @): remove it; "+
			"Headlamp signs users in with OIDC", shown)
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("%q: give an http or https address without query, like https://headlamp.example.com", shown)
	}
	return nil
}

// CheckPath accepts --path: a path (and query) on Headlamp itself. It must start with a single "/";
// "//host" would be read by the browser as another site, and so would "/\host" (browsers take a
// backslash for a slash) or a path with a tab or line break (browsers drop them, so "/\t/host" is
// "//host"). A scheme or host is refused the same way.
func CheckPath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q must start with /, like /c/main/login", p)
	case strings.HasPrefix(p, "//"):
		return fmt.Errorf("%q starts with //, which a browser reads as another host: give a path on Headlamp, like /c/main/login", p)
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("%q holds a backslash, which a browser reads as /: give a path on Headlamp, like /c/main/login", p)
	case strings.ContainsFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return errors.New("must not hold spaces or control characters: percent-encode them (%20)")
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fmt.Errorf("%q is not a path on Headlamp: give one like /c/main/login", p)
	}
	return nil
}
