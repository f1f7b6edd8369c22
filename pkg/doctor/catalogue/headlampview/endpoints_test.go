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
