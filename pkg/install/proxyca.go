package install

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// checkProxySecret reads capsule-proxy's CA from its Secret (ca.crt from cert-manager, or ca from the
// certgen Job) and makes sure it verifies the Secret's own serving certificate for the host Headlamp
// will use. Only the CA certificate leaves this function; the key is never read into a result.
func (p *preflight) checkProxySecret(ctx context.Context) Facts {
	px := p.opts.Settings.Proxy
	what := fmt.Sprintf("capsule-proxy secret %s/%s", px.Namespace, px.Secret)
	sec, err := p.cs.CoreV1().Secrets(px.Namespace).Get(ctx, px.Secret, metav1.GetOptions{})
	if err != nil {
		p.apiProblem(err, what, "check that capsule-proxy serves TLS from this Secret, or name it with --proxy-ca-secret")
		return Facts{}
	}
	key := p.opts.ProxyCAKey
	if key == "" {
		key = headlamp.CAKey
		if len(sec.Data[key]) == 0 && len(sec.Data[headlamp.ProxyCAKeyCertgen]) > 0 {
			key = headlamp.ProxyCAKeyCertgen
		}
	}
	ca := sec.Data[key]
	if len(ca) == 0 {
		p.add("%s holds no CA certificate under key %q", "capsule-proxy's certificate must come with its CA (cert-manager writes ca.crt, the certgen Job writes ca); name another key with --proxy-ca-key", what, key)
		return Facts{}
	}
	if err := verifyServing(ca, sec.Data["tls.crt"], px.APIHost(), time.Now()); err != nil {
		p.add("%s: %v", "Headlamp would reject capsule-proxy's certificate; fix or re-issue the certificate", what, err)
		return Facts{}
	}
	return Facts{ProxyCA: ca, ProxyCAKey: key}
}

// verifyServing judges tls.crt as Headlamp's client will, with the Secret's CA, for the host Headlamp
// connects to: through trust.Verify, the verifier doctor's proxy checks use, so both say the same.
func verifyServing(caPEM, chainPEM []byte, host string, now time.Time) error {
	roots, err := trust.ParseBundle(caPEM)
	if err != nil {
		return fmt.Errorf("the CA: %w", err)
	}
	chain, err := trust.ParseBundle(chainPEM)
	if err != nil {
		return fmt.Errorf("tls.crt: %w", err)
	}
	return trust.Verify(chain, roots, host, now)
}
