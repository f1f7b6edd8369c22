package install

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// readAround reads the settings that live in the objects around the Deployment, each one ours:
// the Ingress, the HTTPRoute, whether a NetworkPolicy exists, the tenants' groups.
func (cur *Current) readAround(ctx context.Context, c Clients) error {
	s := &cur.Settings
	var errs []error
	if ing, err := c.Kube.NetworkingV1().Ingresses(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{}); keep(ing, err, &errs) {
		in := &headlamp.Ingress{ClassName: derefString(ing.Spec.IngressClassName)}
		if len(ing.Spec.Rules) > 0 {
			in.Host = ing.Spec.Rules[0].Host
		}
		if len(ing.Spec.TLS) > 0 {
			in.TLSSecret = ing.Spec.TLS[0].SecretName
		}
		s.Ingress = in
	}
	if c.Dynamic != nil {
		route, err := c.Dynamic.Resource(headlamp.HTTPRouteGVR).Namespace(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{})
		if keep(route, err, &errs) {
			s.Gateway = headlamp.GatewayOf(route)
		}
	}
	if np, err := c.Kube.NetworkingV1().NetworkPolicies(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{}); keep(np, err, &errs) {
		s.NetworkPolicy = &headlamp.NetworkPolicy{}
	}
	rb, err := c.Kube.RbacV1().RoleBindings(s.Namespace).Get(ctx, headlamp.TenantAccessName(s.Name), metav1.GetOptions{})
	if keep(rb, err, &errs) {
		s.TenantAccess = headlamp.TenantGroups(rb)
	}
	return errors.Join(errs...)
}

// keep reports whether a read found an object of ours; an error other than not found is recorded.
func keep(obj metav1.Object, err error, errs *[]error) bool {
	switch {
	case apierrors.IsNotFound(err):
		return false
	case err != nil:
		*errs = append(*errs, fmt.Errorf("read the installed objects: %w", err))
		return false
	}
	return headlamp.OwnerOf(obj).Ours()
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
