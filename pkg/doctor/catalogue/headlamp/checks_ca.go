package headlamp

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// causeOtherNamespace names HEADLAMP-CA's failure where Headlamp's namespace has no copy of the CA.
const causeOtherNamespace = "other-namespace"

func checkHeadlampCA(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, headlamp.SettingProxyCA)
	if err != nil {
		return area.CouldNotLook(err)
	}
	ps, err := proxy.FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	r := judgeProjectedCA(h, f, ps)
	return r.WithVar("ca-key", ps.CAKey).WithVar("deployment", h.Name)
}

func judgeProjectedCA(h headlampview.View, f engine.Facts, ps proxy.Secret) engine.Result {
	if h.ProxyCA == nil {
		return engine.Problem("nothing is projected as ca.crt in the service account folder")
	}
	ref := *h.ProxyCA
	if ref.Kind == "ConfigMap" && ref.Name == "kube-root-ca.crt" {
		return engine.Problem("ca.crt is the cluster's root CA (ConfigMap kube-root-ca.crt), not capsule-proxy's").With("source", ref.String())
	}
	pc, err := headlampview.FactCA.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	switch {
	case !pc.Found && h.Namespace != ps.Namespace:
		return engine.Problem("ca.crt comes from %s in %s, which does not exist: the copy of capsule-proxy's CA is gone", ref, h.Namespace).
			With("source", ref.String()).Because(causeOtherNamespace)
	case !pc.Found:
		return engine.Problem("ca.crt comes from %s, which does not exist (the proxy Secret keeps its CA under %q)", ref, ps.CAKey).
			With("source", ref.String())
	case pc.Err != nil:
		return engine.Problem("ca.crt comes from %s, which holds no certificate: %v", ref, pc.Err).With("source", ref.String())
	}
	if err := trust.ChainsTo(ps.Chain, pc.Certs); err != nil {
		return engine.Problem("ca.crt comes from %s (%s), which did not sign capsule-proxy's certificate (issuer %s)",
			ref, proxy.CANames(pc.Certs), ps.Chain[0].Issuer).
			With("source", ref.String()).With("projected", proxy.Fingerprints(pc.Certs)).With("proxyCA", proxy.Fingerprints(ps.CA))
	}
	return engine.Pass("ca.crt from %s signed capsule-proxy's certificate", ref).With("source", ref.String())
}
