package doctor

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

func checkHeadlampCA(_ context.Context, f Facts) Result {
	h, err := headlampSettings(f, headlamp.SettingProxyCA)
	if err != nil {
		return couldNotLook(err)
	}
	ps, err := factProxySecret.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	r := judgeProjectedCA(h, f, ps)
	return r.WithVar("ca-key", ps.CAKey).WithVar("deployment", h.Name)
}

func judgeProjectedCA(h HeadlampView, f Facts, ps ProxySecret) Result {
	if h.ProxyCA == nil {
		return Problem("nothing is projected as ca.crt in the service account folder")
	}
	ref := *h.ProxyCA
	if ref.Kind == "ConfigMap" && ref.Name == "kube-root-ca.crt" {
		return Problem("ca.crt is the cluster's root CA (ConfigMap kube-root-ca.crt), not capsule-proxy's").With("source", ref.String())
	}
	pc, err := factHeadlampCA.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	switch {
	case !pc.Found:
		return Problem("ca.crt comes from %s, which does not exist (the proxy Secret keeps its CA under %q)", ref, ps.CAKey).
			With("source", ref.String())
	case pc.Err != nil:
		return Problem("ca.crt comes from %s, which holds no certificate: %v", ref, pc.Err).With("source", ref.String())
	}
	if err := trust.ChainsTo(ps.Chain, pc.Certs); err != nil {
		return Problem("ca.crt comes from %s (%s), which did not sign capsule-proxy's certificate (issuer %s)",
			ref, caNames(pc.Certs), ps.Chain[0].Issuer).
			With("source", ref.String()).With("projected", fingerprints(pc.Certs)).With("proxyCA", fingerprints(ps.CA))
	}
	return Pass("ca.crt from %s signed capsule-proxy's certificate", ref).With("source", ref.String())
}
