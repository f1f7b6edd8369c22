package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/version"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// The facts about the cluster itself.
const (
	FactServerVersion engine.Key[*version.Info] = "server-version"
	FactPermissions   engine.Key[[]permission]  = "permissions"
)

// permission is one access doctor needs and whether the cluster grants it.
type permission struct {
	access  area.Access
	allowed bool
}

// Facts are the facts of the cluster checks, read with env.
func Facts(env area.Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(FactServerVersion, nil, func(ctx context.Context, in engine.Facts) (*version.Info, error) {
			return serverVersion(ctx, env, in.OwnTimeout())
		}),
		engine.Define(FactPermissions, nil, func(ctx context.Context, _ engine.Facts) ([]permission, error) {
			return reviewPermissions(ctx, env)
		}),
	}
}

// serverVersion asks the API server for its version within 3/4 of the fact's own timeout (own, from
// --check-timeout): an API server that accepts connections and never answers then fails CLUSTER-API,
// naming the address, before the check itself times out as unknown (which would pass the run). When
// the run's --timeout ends first, the error is the run's: doctor could not look, the server was not
// shown to be silent.
func serverVersion(ctx context.Context, env area.Env, own time.Duration) (*version.Info, error) {
	wait := own * 3 / 4
	vctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	v, err := kube.ServerVersion(vctx, env.Kube)
	if dl, ok := vctx.Deadline(); err != nil && ok && !time.Now().Before(dl) {
		// client-go's rate limiter refuses a request past the deadline before the context's timer
		// has fired: wait for it, so that the cause below is the deadline's, not the limiter's words.
		<-vctx.Done()
	}
	switch {
	case err == nil:
		return v, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("ask the API server for its version: %w", context.Cause(ctx))
	case errors.Is(vctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("the API server at %s did not answer within %s: %w", cmp.Or(env.Server, "the kubeconfig's address"),
			wait.Round(time.Millisecond), vctx.Err())
	case apierrors.IsUnauthorized(err):
		// The context is right (the API server answered); the credentials are not: --token, or the
		// kubeconfig user's token, certificate or exec plugin.
		var status *apierrors.StatusError // its words alone: the wrapping asks whether the context is right
		if errors.As(err, &status) {
			err = status
		}
		return nil, fmt.Errorf("the API server at %s rejected the credentials doctor was given: the --token, or the "+
			"kubeconfig user's token or certificate, is not valid there (%w)", cmp.Or(env.Server, "the kubeconfig's address"), err)
	}
	return nil, err
}

// neededAccess lists what doctor reads, so that a missing permission is reported once, up front.
func neededAccess(env area.Env) []area.Access {
	ns, pns := env.Namespace, env.Proxy.Namespace
	needed := []area.Access{
		{Verb: "list", Group: "apps", Resource: "deployments", Namespace: ns},
		{Verb: "list", Resource: "pods", Namespace: ns},
		{Verb: "get", Resource: "pods", Subresource: "log", Namespace: ns},
		{Verb: "list", Group: "autoscaling", Resource: "horizontalpodautoscalers", Namespace: ns},
		{Verb: "get", Resource: "secrets", Namespace: ns},
		{Verb: "get", Resource: "configmaps", Namespace: ns},
		{Verb: "get", Resource: "services", Namespace: pns},
		{Verb: "list", Group: "discovery.k8s.io", Resource: "endpointslices", Namespace: pns},
		{Verb: "get", Resource: "secrets", Namespace: pns},
		{Verb: "create", Resource: "pods", Subresource: "portforward", Namespace: pns},
		{Verb: "get", Group: "capsule.clastix.io", Resource: "capsuleconfigurations"},
		{Verb: "list", Group: "capsule.clastix.io", Resource: "proxysettings"},
		{Verb: "list", Group: "capsule.clastix.io", Resource: "globalproxysettings"},
		{Verb: "list", Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings"},
		{Verb: "list", Resource: "pods", Namespace: "kube-system"},
		{Verb: "list", Group: "networking.k8s.io", Resource: "networkpolicies", Namespace: ns},
		{Verb: "get", NonResourceURL: "/metrics"},
		{Verb: "list", Group: "coordination.k8s.io", Resource: "leases", Namespace: "kube-system"},
	}
	if pns != ns { // capsule-proxy's Deployment, for its flags
		needed = append(needed, area.Access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: pns})
	}
	return needed
}

func reviewPermissions(ctx context.Context, env area.Env) ([]permission, error) {
	var out []permission
	for _, a := range neededAccess(env) {
		review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{}}
		if a.NonResourceURL != "" {
			review.Spec.NonResourceAttributes = &authorizationv1.NonResourceAttributes{Path: a.NonResourceURL, Verb: a.Verb}
		} else {
			review.Spec.ResourceAttributes = &authorizationv1.ResourceAttributes{Verb: a.Verb, Group: a.Group,
				Resource: a.Resource, Subresource: a.Subresource, Namespace: a.Namespace, Name: a.Name}
		}
		res, err := env.Kube.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
		if err != nil {
			return nil, area.WrapAccess(area.Access{Verb: "create", Group: "authorization.k8s.io", Resource: "selfsubjectaccessreviews"}, err)
		}
		out = append(out, permission{access: a, allowed: res.Status.Allowed})
	}
	return out, nil
}

// MinorVersion reads "1.33+"-style versions as (1, 33).
func MinorVersion(v *version.Info) (major, minor int, err error) {
	major, err = strconv.Atoi(strings.TrimRight(v.Major, "+"))
	if err == nil {
		minor, err = strconv.Atoi(strings.TrimRight(v.Minor, "+"))
	}
	if err != nil {
		return 0, 0, fmt.Errorf("unreadable server version %q.%q (%s)", v.Major, v.Minor, v.GitVersion)
	}
	return major, minor, nil
}
