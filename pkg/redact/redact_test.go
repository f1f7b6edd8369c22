package redact

import (
	"net/url"
	"strings"
	"testing"
)

func TestURLsHidesUserInfo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://headlamp.example.com/c/main", "https://headlamp.example.com/c/main"},
		{"https://user:pa55word@headlamp.example.com", "https://REDACTED@headlamp.example.com"},
		{"https://tok3n@headlamp.example.com:8443/x", "https://REDACTED@headlamp.example.com:8443/x"},
		{"https://a@b:p@ss@host/path", "https://REDACTED@host/path"},
		{`Get "https://u:s3cret@dex.example.com/.well-known": dial tcp`, `Get "https://REDACTED@dex.example.com/.well-known": dial tcp`},
		{"two: http://a:b@one and HTTPS://c:d@two/", "two: http://REDACTED@one and HTTPS://REDACTED@two/"},
		{"an address in a path: https://host/users/alice@example.com", "an address in a path: https://host/users/alice@example.com"},
		{"a query: https://host/?login=alice@example.com", "a query: https://host/?login=alice@example.com"},
		{"no URL: alice@example.com", "no URL: alice@example.com"},
		{`--url "https://u:p@h"`, `--url "https://REDACTED@h"`},
	}
	for _, tt := range tests {
		if got := URLs(tt.in); got != tt.want {
			t.Errorf("URLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestURLsLeavesNoSecretBehind(t *testing.T) {
	for _, in := range []string{
		"https://user:pa55word@headlamp.example.com",
		"ftp://pa55word@x",
		"https://user:pa55word@@host",
		"git+ssh://user:pa55word@host:22/repo",
	} {
		if got := URLs(in); strings.Contains(got, "pa55word") {
			t.Errorf("URLs(%q) = %q: the password is still there", in, got)
		}
	}
}

func TestParseErrorRepeatsNothingOfAURLWithUserInfo(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:pa/55word@host": "not a URL: check its syntax",
		"https://h%zz":                `not a URL: invalid URL escape "%zz"`,
	} {
		_, err := url.Parse(raw)
		if got := ParseError(raw, err); got != want {
			t.Errorf("ParseError(%q) = %q, want %q", raw, got, want)
		}
	}
}
