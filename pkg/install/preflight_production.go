package install

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// checkProduction looks at what the production options need in a namespace that exists, and
// returns what the NetworkPolicy lets through when one is wanted.
func (p *preflight) checkProduction(ctx context.Context, nsLabels map[string]string) *headlamp.NetworkPolicy {
	s := p.opts.Settings
	p.findings[ConcernPullSecrets] = pullSecretProblems(ctx, p.cs, s.Namespace, s.ImagePullSecrets)
	if s.Gateway != nil {
		problems := gatewayAPIProblems(p.cs.Discovery())
		if len(problems) == 0 {
			problems = gatewayProblems(ctx, p.c, *s.Gateway, s.Namespace, nsLabels)
		}
		p.findings[ConcernGateway] = problems
	}
	pr := podResources{resources: s.Resources, replicas: int64(s.Replicas)}
	if cur := p.opts.Current; cur != nil {
		pr.released = &cur.Settings.Resources
	}
	p.findings[ConcernQuota] = quotaProblems(ctx, p.cs, s.Namespace, pr)
	if s.NetworkPolicy == nil {
		return nil
	}
	np, problems := networkPolicyFacts(ctx, p.c, s, p.proxy)
	p.findings[ConcernNetworkPolicy] = problems
	return np
}
