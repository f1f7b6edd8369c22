package headlampview

import (
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// ForwardOrigin is where login's port-forward serves Headlamp unless told another port: the guides'
// `kubectl port-forward 8080:80`, whose redirect URI an IdP set up by them already has.
const ForwardOrigin = "http://localhost:8080"

// viaForward names the port-forward way in.
const viaForward = "a port-forward to localhost:8080, as the guides do"

// WayIn is one way a browser reaches Headlamp, and the redirect URI Headlamp sends the IdP from there.
type WayIn struct {
	// Via names the ways in ("Ingress headlamp", "HTTPRoute headlamp", the port-forward), joined with
	// " and " when several lead to the same URI.
	Via string `json:"via"`
	URI string `json:"redirectURI"`
}

// Ways lists every way a browser reaches Headlamp with the redirect URI Headlamp sends from it, in the
// order login prefers them: each Ingress and HTTPRoute host (with its scheme and Headlamp's -base-url),
// then login's port-forward. With -oidc-callback-url every way sends that one URI. Two ways that send
// the same URI are one entry.
func (e Endpoints) Ways(s headlamp.Settings) []WayIn {
	if s.OIDC.CallbackURL != "" {
		return []WayIn{{Via: "-oidc-callback-url", URI: s.OIDC.CallbackURL}}
	}
	var out []WayIn
	add := func(via, origin string) {
		uri, err := headlamp.RedirectURI(headlamp.SiteURL(origin, s), s)
		if err != nil {
			return // an origin that does not parse is the endpoint's own problem
		}
		if i := slices.IndexFunc(out, func(w WayIn) bool { return w.URI == uri }); i >= 0 {
			out[i].Via += " and " + via
			return
		}
		out = append(out, WayIn{Via: via, URI: uri})
	}
	for _, ep := range e.List {
		add(ep.Kind+" "+ep.Name, ep.Origin)
	}
	add(viaForward, ForwardOrigin)
	return out
}

// String is the way in for a message: the URI and how the browser gets there.
func (w WayIn) String() string {
	return w.URI + " (" + strings.TrimSpace(w.Via) + ")"
}
