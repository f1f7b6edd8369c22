package install

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// readProxyCA reads capsule-proxy's CA from its Secret (ca.crt from cert-manager, or ca from the
// certgen Job), for the copy install makes of it. It judges nothing: doctor's proxy checks (the
// Secret, its chain, names, key usage and validity, through trust.Verify) and HEADLAMP-CA do, before
// install writes. Only the CA certificate leaves this function; the key is never read into a result.
func (p *preflight) readProxyCA(ctx context.Context) Facts {
	px := p.opts.Settings.Proxy
	key := p.opts.ProxyCAKey
	sec, err := p.cs.CoreV1().Secrets(px.Namespace).Get(ctx, px.Secret, metav1.GetOptions{})
	if err != nil {
		if key == "" {
			key = headlamp.CAKey
		}
		return Facts{ProxyCAKey: key}
	}
	if key == "" {
		key = headlamp.CAKey
		if len(sec.Data[key]) == 0 && len(sec.Data[headlamp.ProxyCAKeyCertgen]) > 0 {
			key = headlamp.ProxyCAKeyCertgen
		}
	}
	return Facts{ProxyCA: sec.Data[key], ProxyCAKey: key}
}
