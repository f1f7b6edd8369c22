// Package redact hides credentials that ride inside ordinary text. Its one job today: the user info
// of URLs (https://user:password@host), which a URL flag, a kubeconfig or an object in the cluster
// may carry and which no message, log line or report may repeat.
package redact

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces the user info of a URL in text.
const Mask = "REDACTED"

// userInfo matches the authority of a URL up to its last "@": a scheme, "//", then anything but the
// characters that end an authority (RFC 3986: "/", "?", "#") or a quoted string, up to an "@". The
// whole user info goes, name included: a token is often passed as the user name alone.
var userInfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s"'<>` + "`" + `]*@`)

// URLs returns s with the user info of every URL in it replaced by Mask: a URL alone, or a message
// that quotes URLs (an error from an HTTP client, say).
func URLs(s string) string {
	return userInfo.ReplaceAllString(s, "${1}"+Mask+"@")
}

// ParseError says why raw did not parse as a URL (err is url.Parse's) without repeating raw: url.Parse
// quotes its whole input, and the part it names (a port, say) may be a piece of a password that holds
// a "/", which URLs cannot tell from a path.
func ParseError(raw string, err error) string {
	var ue *url.Error
	switch {
	case strings.Contains(raw, "@"):
		return "not a URL: check its syntax"
	case errors.As(err, &ue):
		return "not a URL: " + ue.Err.Error()
	}
	return "not a URL"
}
