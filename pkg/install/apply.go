package install

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// Change says what applying did to an object.
type Change string

// Changes reported per object.
const (
	Created    Change = "created"
	Configured Change = "configured"
	Unchanged  Change = "unchanged"
)

// Applied is one object install applied.
type Applied struct {
	Object ObjectRef `json:"object"`
	Change Change    `json:"change"`
}

// apply server-side applies the objects in order under our field manager. An object whose
// resourceVersion did not move is reported unchanged.
func apply(ctx context.Context, c Clients, objs headlamp.Objects, opts Options) ([]Applied, error) {
	ao := metav1.ApplyOptions{FieldManager: headlamp.ManagedBy, Force: opts.ForceConflicts}
	if opts.DryRun == DryRunServer {
		ao.DryRun = []string{metav1.DryRunAll}
	}
	ns := opts.Settings.Namespace
	var done []Applied
	for _, obj := range objs.List() {
		r, existed, before, after, err := applyOne(ctx, c, ns, obj, ao)
		if err != nil {
			return done, fmt.Errorf("apply %s: %w%s", r, err, conflictAdvice(err))
		}
		change := Configured
		switch {
		case !existed:
			change = Created
		case before == after:
			change = Unchanged
		}
		done = append(done, Applied{Object: r.public(), Change: change})
	}
	return done, nil
}

func conflictAdvice(err error) string {
	if apierrors.IsConflict(err) {
		return " (another manager owns these fields: pass --force-conflicts to take them over)"
	}
	return ""
}

// applyOne applies one object and returns whether it existed, and its resourceVersion before and after.
func applyOne(ctx context.Context, c Clients, ns string, obj any, ao metav1.ApplyOptions) (r ref, existed bool, before, after string, err error) {
	if r, err = refOf(obj); err != nil {
		return r, false, "", "", err
	}
	cur, err := r.get(ctx, c, ns)
	switch {
	case err == nil:
		existed, before = true, cur.GetResourceVersion()
	case !apierrors.IsNotFound(err):
		return r, false, "", "", err
	}
	out, err := r.kind.apply(ctx, c, ns, obj, ao)
	if err != nil {
		return r, existed, before, "", err
	}
	return r, existed, before, out.GetResourceVersion(), nil
}

// refOf names an object built by pkg/headlamp.
func refOf(obj any) (ref, error) {
	switch o := obj.(type) {
	case *corev1ac.ServiceAccountApplyConfiguration:
		return ref{&serviceAccounts, *o.Name}, nil
	case *corev1ac.SecretApplyConfiguration:
		return ref{&secrets, *o.Name}, nil
	case *corev1ac.ConfigMapApplyConfiguration:
		return ref{&configMaps, *o.Name}, nil
	case *appsv1ac.DeploymentApplyConfiguration:
		return ref{&deployments, *o.Name}, nil
	case *corev1ac.ServiceApplyConfiguration:
		return ref{&services, *o.Name}, nil
	case *networkingv1ac.IngressApplyConfiguration:
		return ref{&ingresses, *o.Name}, nil
	case *networkingv1ac.NetworkPolicyApplyConfiguration:
		return ref{&networkPolicies, *o.Name}, nil
	case *rbacv1ac.RoleApplyConfiguration:
		return ref{&roles, *o.Name}, nil
	case *rbacv1ac.RoleBindingApplyConfiguration:
		return ref{&roleBindings, *o.Name}, nil
	case *unstructured.Unstructured:
		if o.GetKind() == headlamp.KindHTTPRoute {
			return ref{&httpRoutes, o.GetName()}, nil
		}
	}
	return ref{kind: &kind{singular: fmt.Sprintf("%T", obj)}}, fmt.Errorf("cannot apply %T", obj)
}
