package doctor

import (
	"cmp"
	"context"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// Bundle collects the support bundle of a run of c that gave r: the report and its chain, what its
// checks saw that a bundle keeps (the token's redacted claims, the IdP's certificate chain), and the
// cluster side read with c's clients under ctx, which the caller bounds (--timeout).
func Bundle(ctx context.Context, c Config, r engine.Report, versions map[string]string) bundle.Bundle {
	b := bundle.Bundle{Report: r, Chain: Chain(r), Certificates: map[string][]trust.Summary{}, Versions: versions,
		Created: time.Now()}
	for _, o := range r.Outcomes {
		switch o.ID {
		case identity.IDTokenObtained:
			if v := o.Evidence.Get("claims"); v != nil {
				b.Claims = v
			}
		case identity.IDIdPDiscovery:
			if chain, ok := o.Evidence.Get("chain").(identity.CertChain); ok {
				b.Certificates["IdP chain"] = chain
			}
		}
	}
	bundle.Collect(ctx, c.Kube, c.bundleSources(r), &b)
	return b
}

// bundleSources are the objects a support bundle describes: the Headlamp Deployment doctor found (or
// was told), capsule-proxy's, their Services, and the events of both namespaces.
func (c Config) bundleSources(r engine.Report) bundle.Sources {
	name := cmp.Or(r.Var(hlcheck.IDFound, "deployment"), c.Headlamp, headlamp.DefaultName)
	hl := bundle.ObjectRef{Namespace: c.Namespace, Name: name}
	px := bundle.ObjectRef{Namespace: c.Proxy.Namespace, Name: c.Proxy.Service}
	namespaces := []string{c.Namespace}
	if c.Proxy.Namespace != c.Namespace {
		namespaces = append(namespaces, c.Proxy.Namespace)
	}
	return bundle.Sources{
		Deployments: []bundle.ObjectRef{hl, px}, Services: []bundle.ObjectRef{hl, px}, Namespaces: namespaces,
		ProxySecret: bundle.ObjectRef{Namespace: c.Proxy.Namespace, Name: c.Proxy.Secret},
	}
}
