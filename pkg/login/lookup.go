package login

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// lookup finds Headlamp's installation. Given --url, login needs it only to check the redirect URI:
// a tenant who may not read Headlamp's namespace still logs in, with the settings unknown (an
// Installation without a Deployment) and one warning.
func lookup(ctx context.Context, o Options, env Env, st *status) (*Installation, error) {
	in, err := Locate(ctx, env.Client, o.Namespace, o.Headlamp)
	switch {
	case err == nil:
		st.found(in)
		return in, nil
	case !notVisible(err):
		return nil, err
	case o.URL == "" && apierrors.IsForbidden(err):
		return nil, fmt.Errorf("%w: login needs get and list on deployments and services in namespace %s; "+
			"ask for them, or for Headlamp's address (its Ingress URL, say) and pass it with --url", err, o.Namespace)
	case o.URL == "":
		return nil, err
	}
	st.warn("cannot look Headlamp up (%v): its settings are unknown and the redirect URI is not checked", err)
	return &Installation{}, nil
}

// notVisible reports whether the lookup failed because the user may not see Headlamp, or it is not
// where the user looked; not because the cluster could not be reached.
func notVisible(err error) bool {
	return apierrors.IsForbidden(err) || apierrors.IsNotFound(err) || errors.Is(err, headlamp.ErrNoHeadlamp)
}

// located reports whether the installation was read from the cluster.
func (in *Installation) located() bool { return in.Deployment != nil }
