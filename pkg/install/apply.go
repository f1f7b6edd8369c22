package install

import (
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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

func conflictAdvice(err error) string {
	if apierrors.IsConflict(err) {
		return " (another manager owns these fields: pass --force-conflicts to take them over)"
	}
	return ""
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
