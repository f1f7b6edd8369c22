package install

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// checkProduction runs the checks of the production options in a namespace that exists, and
// returns what the NetworkPolicy lets through when one is wanted.
func (p *preflight) checkProduction(ctx context.Context, nsLabels map[string]string) *headlamp.NetworkPolicy {
	s := p.opts.Settings
	p.problems = append(p.problems, pullSecretProblems(ctx, p.cs, s.Namespace, s.ImagePullSecrets)...)
	if s.Gateway != nil {
		if problems := gatewayAPIProblems(p.cs.Discovery()); len(problems) > 0 {
			p.problems = append(p.problems, problems...)
		} else {
			p.problems = append(p.problems, gatewayProblems(ctx, p.c, *s.Gateway, s.Namespace, nsLabels)...)
		}
	}
	pr := podResources{resources: s.Resources, replicas: int64(s.Replicas)}
	if cur := p.opts.Current; cur != nil {
		pr.released = &cur.Settings.Resources
	}
	p.problems = append(p.problems, quotaProblems(ctx, p.cs, s.Namespace, pr)...)
	if s.NetworkPolicy == nil {
		return nil
	}
	np, problems := networkPolicyFacts(ctx, p.c, s, p.proxy)
	p.problems = append(p.problems, problems...)
	return np
}
