package login

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckPathKeepsTheBrowserOnHeadlamp(t *testing.T) {
	for p, ok := range map[string]bool{
		"/c/main/token":            true,
		"/oidc?cluster=main":       true,
		"/c/main/login#top":        true,
		"/a%2F%2Fb":                true,
		"c/main":                   false,
		"":                         false,
		"//evil.example.com":       false,
		"///evil.example.com":      false,
		`/\evil.example.com`:       false,
		`/\/evil.example.com`:      false,
		"/\t/evil.example.com":     false,
		"/\n/evil.example.com":     false,
		"/ /evil.example.com":      false,
		"https://evil.example.com": false,
	} {
		err := CheckPath(p)
		if (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", p, err, ok)
			continue
		}
		if !ok {
			continue
		}
		// What a browser makes of it: the same origin as Headlamp's.
		site, _ := url.Parse("http://localhost:8080")
		ref, _ := url.Parse(p)
		if got := site.ResolveReference(ref); got.Host != site.Host || got.Scheme != site.Scheme {
			t.Errorf("CheckPath(%q) accepted a path that leaves Headlamp for %s", p, got)
		}
	}
}

func TestCheckURLRefusesUserInfoWithoutRepeatingIt(t *testing.T) {
	for raw, want := range map[string]string{
		"https://headlamp.example.com":                    "",
		"http://127.0.0.1:8080/headlamp":                  "",
		"https://user:pa55word@headlamp.example.com":      "carries user info",
		"https://pa55word@headlamp.example.com":           "carries user info",
		"https://user:pa55/word@headlamp.example.com":     "check its syntax",
		"https://user:pa55word@headlamp.example.com/?a=b": "carries user info",
		"ftp://headlamp.example.com":                      "http or https",
		"https://headlamp.example.com/?x=1":               "without query",
		"headlamp.example.com":                            "http or https",
	} {
		err := CheckURL(raw)
		if (err == nil) != (want == "") || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("CheckURL(%q) = %v, want %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pa55") {
			t.Errorf("CheckURL(%q) repeats the password: %v", raw, err)
		}
	}
}
