package install

import (
	"context"
	"fmt"
	"slices"
	"strings"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// neededVerbs are what install does with each kind: get to tell created from configured (and to
// wait), create for a new object and patch for an existing one (server-side apply).
var neededVerbs = []string{"get", "create", "patch"}

// checkAccess asks the API server, with SelfSubjectAccessReviews, whether the user may write every
// kind install writes, and delete the kinds of objects it takes over. Denials are gathered into one
// problem so the administrator gets one list; INSTALL-PERMISSIONS reports it.
func (p *preflight) checkAccess(ctx context.Context) {
	s := p.opts.Settings
	p.look(ConcernAccess)
	takeOver := map[*kind]bool{}
	for _, f := range p.foreign {
		takeOver[f.ref.kind] = p.opts.ForceConflicts
	}
	seen := map[*kind]bool{}
	var denied []string
	for _, r := range objectNames(s) {
		if seen[r.kind] {
			continue
		}
		seen[r.kind] = true
		needed := neededVerbs
		if takeOver[r.kind] {
			needed = append(slices.Clip(neededVerbs), "delete")
		}
		var verbs []string
		for _, verb := range needed {
			ok, err := p.allowed(ctx, s.Namespace, r.kind, verb)
			if err != nil {
				p.add(ConcernAccess, "ask the API server whether you may %s %s: %v", "", verb, r.kind.resource, err)
				return
			}
			if !ok {
				verbs = append(verbs, verb)
			}
		}
		if len(verbs) > 0 {
			denied = append(denied, strings.Join(verbs, "/")+" "+r.kind.resource)
		}
	}
	if len(denied) > 0 {
		p.add(ConcernAccess, "you may not %s in namespace %s", "ask a cluster administrator for these permissions, or run install as a user who has them",
			strings.Join(denied, ", "), s.Namespace)
	}
}

func (p *preflight) allowed(ctx context.Context, namespace string, k *kind, verb string) (bool, error) {
	review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Namespace: namespace, Verb: verb, Group: k.group, Resource: k.resource,
		},
	}}
	res, err := p.cs.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
	if err != nil {
		return false, fmt.Errorf("self subject access review: %w", err)
	}
	return res.Status.Allowed, nil
}
