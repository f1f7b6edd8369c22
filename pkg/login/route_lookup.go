package login

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// findRoute looks for an HTTPRoute in the Service's namespace that leads to it, and returns the
// origin a browser opens through it. A cluster without the Gateway API has none. A user who may
// not list routes (a tenant given --tenant-access) may still get the one named after the Service.
// The scheme comes from the Gateway's listeners; a user who may not read the Gateway gets https,
// the protocol of every Gateway listener that serves a sign-in worth having.
func findRoute(ctx context.Context, env Env, svc *corev1.Service, st *status) (GatewayRoute, string, bool, error) {
	if env.Dynamic == nil {
		return GatewayRoute{}, "", false, nil
	}
	routes := env.Dynamic.Resource(headlamp.HTTPRouteGVR).Namespace(svc.Namespace)
	var items []unstructured.Unstructured
	list, err := routes.List(ctx, metav1.ListOptions{})
	switch {
	case err == nil:
		items = list.Items
	case apierrors.IsNotFound(err):
		return GatewayRoute{}, "", false, nil // no Gateway API
	case apierrors.IsForbidden(err):
		one, gerr := routes.Get(ctx, svc.Name, metav1.GetOptions{})
		if gerr != nil {
			return GatewayRoute{}, "", false, nil //nolint:nilerr // a route the user may neither list nor get is none to use
		}
		items = []unstructured.Unstructured{*one}
	default:
		return GatewayRoute{}, "", false, fmt.Errorf("list httproutes in namespace %s: %w", svc.Namespace, err)
	}
	r, ok := FindHTTPRoute(items, svc)
	if !ok {
		return r, "", false, nil
	}
	scheme := "https"
	gw, err := env.Dynamic.Resource(headlamp.GatewayGVR).Namespace(r.GatewayNamespace).Get(ctx, r.Gateway, metav1.GetOptions{})
	if err == nil {
		if s, known := GatewayScheme(gw, r); known {
			scheme = s
		}
	} else {
		st.printf("cannot read gateway %s/%s (%v): assuming https", r.GatewayNamespace, r.Gateway, shortError(err))
	}
	return r, scheme + "://" + r.Host, true, nil
}

// shortError is the reason of an API error, or the error.
func shortError(err error) string {
	if reason := apierrors.ReasonForError(err); reason != metav1.StatusReasonUnknown {
		return string(reason)
	}
	return err.Error()
}
