package headlampview

import (
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func TestRedirectURIFollowsTheWayLoginReachesHeadlamp(t *testing.T) {
	route := headlamp.Endpoint{Kind: headlamp.KindHTTPRoute, Name: "headlamp", Origin: "https://headlamp.example"}
	ingress := headlamp.Endpoint{Kind: headlamp.KindIngress, Name: "web", Origin: "http://web.example"}
	for _, tc := range []struct {
		name      string
		eps       []headlamp.Endpoint
		callback  string
		baseURL   string
		want, frm string
	}{
		{name: "nothing found", want: "http://localhost:8080/oidc-callback", frm: "a port-forward to localhost:8080, as the guides do"},
		{name: "route", eps: []headlamp.Endpoint{route}, baseURL: "/ui", want: "https://headlamp.example/ui/oidc-callback", frm: "HTTPRoute headlamp"},
		{name: "first wins", eps: []headlamp.Endpoint{ingress, route}, want: "http://web.example/oidc-callback", frm: "Ingress web"},
		{name: "callback set", eps: []headlamp.Endpoint{route}, callback: "https://cb.example/cb", want: "https://cb.example/cb", frm: "-oidc-callback-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s headlamp.Settings
			s.OIDC.CallbackURL, s.BaseURL = tc.callback, tc.baseURL
			got, from := Endpoints{List: tc.eps}.RedirectURI(s)
			if got != tc.want || from != tc.frm {
				t.Errorf("RedirectURI = %q from %q, want %q from %q", got, from, tc.want, tc.frm)
			}
		})
	}
}

// TestWaysListEveryWayIn: each Ingress and HTTPRoute host with its scheme and Headlamp's -base-url,
// then login's port-forward; the same URI reached twice is one way; -oidc-callback-url is the only URI.
func TestWaysListEveryWayIn(t *testing.T) {
	eps := []headlamp.Endpoint{
		{Kind: headlamp.KindIngress, Name: "web", Origin: "https://web.example"},
		{Kind: headlamp.KindIngress, Name: "plain", Origin: "http://plain.example"},
		{Kind: headlamp.KindHTTPRoute, Name: "headlamp", Origin: "https://web.example"},
	}
	var s headlamp.Settings
	s.BaseURL = "/ui/"
	got := Endpoints{List: eps}.Ways(s)
	want := []WayIn{
		{Via: "Ingress web and HTTPRoute headlamp", URI: "https://web.example/ui/oidc-callback"},
		{Via: "Ingress plain", URI: "http://plain.example/ui/oidc-callback"},
		{Via: "a port-forward to localhost:8080, as the guides do", URI: "http://localhost:8080/ui/oidc-callback"},
	}
	if len(got) != len(want) {
		t.Fatalf("Ways = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("way %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	s.OIDC.CallbackURL = "https://cb.example/cb"
	if got := (Endpoints{List: eps}).Ways(s); len(got) != 1 || got[0].URI != "https://cb.example/cb" {
		t.Errorf("Ways with -oidc-callback-url = %+v, want that URI alone", got)
	}
}
