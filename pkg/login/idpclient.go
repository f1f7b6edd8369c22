package login

import (
	"net/http"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// IDPClient returns the one IdP client of pkg/oidc with the plugin's trust (the system roots plus
// caPEM, the IdP CA Headlamp is configured with, if any), skipping verification only when Headlamp
// itself does (insecure). It never follows redirects: oidc.CheckRedirectURI decides which to follow.
func IDPClient(caPEM []byte, insecure bool) (*http.Client, error) {
	c, err := oidc.Trust{Name: "this plugin", SystemRoots: true, PEM: caPEM, Insecure: insecure}.HTTPClient()
	if err != nil {
		return nil, err
	}
	return oidc.NoRedirects(c), nil
}
