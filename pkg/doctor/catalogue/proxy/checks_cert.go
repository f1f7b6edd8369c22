package proxy

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// expiryWarning is how early doctor warns about a certificate running out.
const expiryWarning = 30 * 24 * time.Hour

func certChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDCertChain, Title: "tls.crt is signed by the Secret's CA", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDSecret}, Needs: []engine.FactName{FactSecret.Name()},
			Hint: "The Secret's CA did not sign its certificate (a rotated or replaced CA): re-issue the certificate " +
				"from the CA (with cert-manager: kubectl -n <proxy-namespace> delete secret <proxy-secret>, it is re-created), " +
				"then restart Headlamp",
			Explain: "Headlamp trusts the CA, not the certificate: a certificate from another CA fails every request with `x509: certificate signed by unknown authority`.",
			Run:     checkCertChain,
		},
		{
			ID: IDCertSAN, Title: "The certificate names the host Headlamp connects to", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDSecret},
			Needs: []engine.FactName{FactSecret.Name(), FactService.Name(), headlampview.FactView.Name()},
			Hint: "Re-issue capsule-proxy's certificate with <uncovered> among its DNS names (the capsule-proxy chart names " +
				"<proxy-service> and <proxy-service>.<proxy-namespace>.svc), or set Headlamp's KUBERNETES_SERVICE_HOST to a name it covers",
			Explain: "Go's TLS client checks the name Headlamp dials (KUBERNETES_SERVICE_HOST) against the " +
				"certificate's SANs. capsule-proxy's default SANs have no .svc.cluster.local name.",
			Run: checkCertSAN,
		},
		{
			ID: IDCertUsage, Title: "The certificate allows serving TLS", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDSecret}, Needs: []engine.FactName{FactSecret.Name()},
			Hint: "Re-issue capsule-proxy's certificate with the server authentication key usage (cert-manager: usages " +
				"`server auth`, `digital signature`, `key encipherment`), then restart capsule-proxy",
			Explain: "Go's TLS clients, Headlamp's among them, refuse a certificate whose extended key usage lists " +
				"neither server authentication nor any: `x509: certificate specifies an incompatible key usage`.",
			Run: checkCertUsage,
		},
		{
			ID: IDCertValidity, Title: "The certificate and its CA are valid for 30 days or more", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDSecret}, Needs: []engine.FactName{FactSecret.Name()},
			Hint: "Renew the certificate (with cert-manager: cmctl renew -n <proxy-namespace> capsule-proxy, or delete the Secret to re-issue it); " +
				"after a CA change restart Headlamp: kubectl -n <namespace> rollout restart deployment/<deployment>",
			Explain: "Fails when the serving certificate or its CA is expired or not yet valid; warns under 30 days.",
			Run:     checkCertValidity,
		},
	}
}

func checkCertChain(_ context.Context, f engine.Facts) engine.Result {
	ps, err := FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	leaf := ps.Chain[0]
	if err := trust.ChainsTo(ps.Chain, ps.CA); err != nil {
		return engine.Problem("tls.crt (issuer %s) is not signed by the CA in key %s (%s)", leaf.Issuer, ps.CAKey, CANames(ps.CA)).
			With("issuer", leaf.Issuer.String()).With("ca", CANames(ps.CA)).With("caFingerprints", Fingerprints(ps.CA))
	}
	return engine.Pass("%s signed by %s", trust.Describe(leaf), CANames(ps.CA))
}

func checkCertSAN(_ context.Context, f engine.Facts) engine.Result {
	ps, err := FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	hosts := []string{}
	if svc, err := FactService.Get(f); err == nil {
		hosts = append(hosts, svc.Name+"."+svc.Namespace+".svc")
	}
	if h, err := headlampview.Get(f, headlamp.SettingAPIHost); err == nil && h.APIHost != "" && !slices.Contains(hosts, h.APIHost) {
		hosts = append(hosts, h.APIHost)
	}
	if len(hosts) == 0 {
		return engine.NotApplicable("neither the proxy Service nor Headlamp's API host is known")
	}
	leaf := ps.Chain[0]
	var uncovered []string
	for _, h := range hosts {
		if trust.CoversHost(leaf, h) != nil {
			uncovered = append(uncovered, h)
		}
	}
	sans := trust.SANs(leaf)
	if len(uncovered) > 0 {
		return engine.Problem("the certificate does not name %s (it names %s)", strings.Join(uncovered, ", "), strings.Join(sans, ", ")).
			With("uncovered", uncovered).With("sans", sans)
	}
	return engine.Pass("names %s", strings.Join(hosts, ", ")).With("sans", sans)
}

func checkCertUsage(_ context.Context, f engine.Facts) engine.Result {
	ps, err := FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if err := trust.ServesTLS(ps.Chain[0]); err != nil {
		return engine.Problem("%v", err)
	}
	return engine.Pass("%s allows server authentication", trust.Describe(ps.Chain[0]))
}

func checkCertValidity(_ context.Context, f engine.Facts) engine.Result {
	ps, err := FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	worst := engine.Pass("valid until %s", ps.Chain[0].NotAfter.UTC().Format(time.DateOnly))
	certs := append([]*x509.Certificate{ps.Chain[0]}, ps.CA...)
	for i, c := range certs {
		role := "CA " + trust.Describe(c)
		if i == 0 {
			role = "serving " + trust.Describe(c)
		}
		v := trust.CheckValidity(c, f.Now(), expiryWarning)
		switch v.State {
		case trust.Expired:
			return engine.Problem("%s expired on %s", role, c.NotAfter.UTC().Format(time.RFC3339)).With("notAfter", c.NotAfter.UTC())
		case trust.NotYetValid:
			return engine.Problem("%s is not valid before %s", role, c.NotBefore.UTC().Format(time.RFC3339)).With("notBefore", c.NotBefore.UTC())
		case trust.ExpiringSoon:
			if worst.Status == engine.StatusPass {
				worst = engine.Warn("%s expires in %s, on %s", role, days(v.Remaining), c.NotAfter.UTC().Format(time.DateOnly)).With("notAfter", c.NotAfter.UTC())
			}
		}
	}
	return worst
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// CANames names CA certificates by subject, for messages.
func CANames(cas []*x509.Certificate) string {
	var n []string
	for _, c := range cas {
		n = append(n, c.Subject.String())
	}
	return strings.Join(n, "; ")
}

// Fingerprints are the certificates' SHA-256 fingerprints, for evidence.
func Fingerprints(certs []*x509.Certificate) []string {
	var out []string
	for _, c := range certs {
		out = append(out, trust.Fingerprint(c))
	}
	return out
}
