package headlamp

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckIssuerURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://dex.example.com/dex":   "",
		"https://idp.example.com:8443/": "",
		"":                              "is required",
		"http://dex.example.com":        "must use https",
		"https://dex.example.com/?a=b":  "must not have a query",
		"https://dex.example.com/?":     "must not have a query",
		"https://dex.example.com/#frag": "must not have a fragment",
		"https://user:pw@dex":           "user info",
		"https:///path":                 "has no host",
		"dex.example.com":               "must use https",
	} {
		err := CheckIssuerURL(in)
		if (err == nil) != (want == "") || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckIssuerURL(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestCheckCallbackAndBaseURL(t *testing.T) {
	if err := CheckCallbackURL("http://localhost:8080/oidc-callback"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"/oidc-callback", "https://h/callback", "ftp://h/oidc-callback", "https://h/oidc-callback#x"} {
		if CheckCallbackURL(bad) == nil {
			t.Errorf("CheckCallbackURL(%q) accepted", bad)
		}
	}
	for in, ok := range map[string]bool{"": true, "/headlamp": true, "headlamp": false, "/headlamp/": false, "/a b": false} {
		if (CheckBaseURL(in) == nil) != ok {
			t.Errorf("CheckBaseURL(%q) ok=%v", in, !ok)
		}
	}
}

func TestParseScopes(t *testing.T) {
	for in, want := range map[string][]string{
		"profile,email,groups,offline_access": {"profile", "email", "groups", "offline_access"},
		"openid email profile groups":         {"email", "profile", "groups"},
		"email, groups ,email":                {"email", "groups"},
	} {
		got, err := ParseScopes(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseScopes(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "openid", `a"b`, "é"} {
		if _, err := ParseScopes(bad); err == nil {
			t.Errorf("ParseScopes(%q) accepted", bad)
		}
	}
}

// TestURLChecksNeverRepeatAPassword: a URL flag given with user info is refused, and the message names
// the problem without the password, whatever else is wrong with the URL.
func TestURLChecksNeverRepeatAPassword(t *testing.T) {
	for _, in := range []string{
		"https://user:s3cretpw@dex.example.com/dex",
		"http://user:s3cretpw@dex.example.com/dex?x=1",
		"https://user:s3cret/pw@dex.example.com",
		"https://s3cretpw@h/oidc-callback",
	} {
		for name, check := range map[string]func(string) error{"issuer": CheckIssuerURL, "callback": CheckCallbackURL} {
			err := check(in)
			if err == nil {
				t.Errorf("%s check accepted %q", name, in)
				continue
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s check of %q repeats the password: %v", name, in, err)
			}
		}
	}
}
