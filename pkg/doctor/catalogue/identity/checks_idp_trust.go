package identity

import (
	"context"
	"crypto/x509"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// How each party trusts the IdP: Headlamp (its -oidc-ca-file, or the system roots plus SSL_CERT_DIR)
// and the API server (jwt[].issuer.certificateAuthority), judged against the chain the IdP presented.

func checkHeadlampTrust(_ context.Context, f engine.Facts) engine.Result {
	exp, d, verdict := idpInputs(f)
	if verdict != nil {
		return *verdict
	}
	if exp.HeadlampTrust.Insecure {
		return engine.Warn("Headlamp skips TLS verification of the IdP (-oidc-skip-tls-verify)")
	}
	if err := verifyChain(exp.HeadlampTrust, d.PeerCertificates, d.Issuer); err != nil {
		return engine.Problem("with what Headlamp trusts (%s): %v", trustDescription(exp.HeadlampTrust), err)
	}
	return engine.Pass("the IdP's chain verifies with %s", trustDescription(exp.HeadlampTrust))
}

func checkAPIServerTrust(_ context.Context, f engine.Facts) engine.Result {
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	if exp.APIServer == nil {
		return engine.NotApplicable("the API server's AuthenticationConfiguration is unknown: pass --authentication-config")
	}
	d, err := idDiscovery.Get(f)
	if err != nil {
		return idpProblem(err)
	}
	t := oidc.Trust{Name: "the API server", SystemRoots: len(exp.APIServer.CAPEM) == 0, PEM: exp.APIServer.CAPEM}
	with := "jwt[].issuer.certificateAuthority"
	if t.SystemRoots {
		with = "the system roots (no jwt[].issuer.certificateAuthority)"
	}
	if err := verifyChain(t, d.PeerCertificates, d.Issuer); err != nil {
		return engine.Problem("with %s: %v", with, err)
	}
	return engine.Pass("the IdP's chain verifies with %s", with)
}

// verifyChain verifies the chain an IdP presented as a client with trust t would, with the one
// serving-certificate verifier.
func verifyChain(t oidc.Trust, chain []*x509.Certificate, issuer string) error {
	if len(chain) == 0 {
		return nil // plain HTTP: nothing to verify
	}
	pool, err := t.Pool()
	if err != nil {
		return err
	}
	return trust.VerifyPool(chain, pool, hostOf(issuer), time.Now())
}

func hostOf(u string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(h, "/"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.Trim(h, "[]")
}

func trustDescription(t oidc.Trust) string {
	switch {
	case t.SystemRoots && len(t.PEM) > 0:
		return "the system roots plus its IdP CA"
	case t.SystemRoots:
		return "the system roots only"
	default:
		return "its IdP CA only (system roots replaced)"
	}
}
