package doctor

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// PreInstall judges the installation install is about to write, before it writes anything: the
// catalogue's pre-install checks (catalogue.PreInstall) on the plan p, the cluster and capsule-proxy
// as they are, and the IdP as Headlamp will see it with the planned trust and client secret. c names
// the cluster clients, the identity inputs (no token: none of these checks needs one), the timeouts
// and the observer; its Namespace, Headlamp and Proxy are taken from the plan.
func PreInstall(ctx context.Context, c Config, p install.Plan) (engine.Report, error) {
	s := p.Settings
	c.Namespace, c.Headlamp = s.Namespace, s.Name
	c.Proxy.Namespace, c.Proxy.Service, c.Proxy.Secret = s.Proxy.Namespace, s.Proxy.Service, s.Proxy.Secret
	e := c.env()
	plan, err := engine.NewPlan(catalogue.PreInstall(), catalogue.PreInstallFacts(e, c.Identity, p), c.Only, c.Skip)
	if err != nil {
		return engine.Report{}, err
	}
	return engine.Run(ctx, plan, c.runOptions(e)), nil
}
