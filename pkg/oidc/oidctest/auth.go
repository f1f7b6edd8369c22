package oidctest

import (
	"fmt"
	"html"
	"net/http"
	"slices"
)

// authorize answers the authorization endpoint as Dex does before any sign-in: a redirect URI that is
// not registered gets a 400 error page ("Unregistered redirect_uri"), anything else the login form.
func (idp *IDP) authorize(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.Query().Get("redirect_uri")
	if len(idp.RedirectURIs) > 0 && !slices.Contains(idp.RedirectURIs, uri) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "<html><body><h2>Bad Request</h2><p>Unregistered redirect_uri (%q).</p></body></html>", html.EscapeString(uri))
		return
	}
	_, _ = fmt.Fprint(w, `<html><body><form method="post"><input name="login"><input name="password"></form></body></html>`)
}
