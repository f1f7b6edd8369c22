package install

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// prune deletes what an earlier install of this Headlamp created and this one no longer builds: the
// Ingress once --ingress-host is dropped, the IdP CA ConfigMap once --oidc-ca-file is, the proxy CA
// copy once it is not needed. Left behind, a stale Ingress is what login would pick. Only objects
// carrying all our labels for this installation (managed-by, name and instance) are candidates, so
// another tool's objects and another Headlamp's in the same namespace are never touched. It returns
// the objects it pruned (or, in a dry run, would prune) and warnings for kinds it may not list.
func prune(ctx context.Context, c Clients, opts Options, objs headlamp.Objects, p *progress) ([]ObjectRef, []string, error) {
	stale, warnings, err := staleObjects(ctx, c, opts.Settings, objs)
	if err != nil {
		return nil, warnings, err
	}
	ns := opts.Settings.Namespace
	var pruned []ObjectRef
	for _, r := range stale {
		if opts.DryRun == DryRunClient {
			p.line("%s would be pruned", r)
			pruned = append(pruned, r.public())
			continue
		}
		if err := deleteRef(ctx, c, ns, r, opts.DryRun); err != nil && !apierrors.IsNotFound(err) {
			return pruned, warnings, fmt.Errorf("prune %s, which this install no longer creates: %w (delete it by hand: kubectl -n %s delete %s)", r, err, ns, r)
		}
		p.line("%s pruned%s", r, dryRunSuffix(opts.DryRun))
		pruned = append(pruned, r.public())
	}
	return pruned, warnings, nil
}

// staleObjects lists, in deletion order, our objects of this installation that objs does not hold.
// A kind the user may not list is skipped with a warning: a user who never had an Ingress may well
// have no right to list Ingresses, and that must not fail an install that was applied.
func staleObjects(ctx context.Context, c Clients, s headlamp.Settings, objs headlamp.Objects) ([]ref, []string, error) {
	built := map[ref]bool{}
	for _, obj := range objs.List() {
		r, err := refOf(obj)
		if err != nil {
			return nil, nil, err
		}
		built[r] = true
	}
	selector := labels.SelectorFromSet(headlamp.Labels(s)).String()
	var stale []ref
	var warnings []string
	for _, k := range allKinds {
		refs, err := listRefs(ctx, c, s.Namespace, k, selector)
		switch {
		case apierrors.IsForbidden(err):
			warnings = append(warnings, fmt.Sprintf("you may not list %s in namespace %s, so install could not look for ones an earlier install left behind: check with kubectl -n %[2]s get %[1]s -l %s",
				k.resource, s.Namespace, selector))
			continue
		case err != nil:
			return nil, warnings, err
		}
		for _, r := range refs {
			if !built[r] {
				stale = append(stale, r)
			}
		}
	}
	return stale, warnings, nil
}
