package install

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// errNoDynamic is a route operation without a dynamic client, a programming error.
var errNoDynamic = errors.New("no dynamic client for Gateway API objects")

// httpRoutes are written with the dynamic client: the plugin carries no Gateway API module. On a
// cluster without the Gateway API, listing them finds none (the API answers 404).
var httpRoutes = kind{singular: "httproute", group: headlamp.GatewayGroup, resource: headlamp.HTTPRouteGVR.Resource,
	get: func(ctx context.Context, c Clients, ns, name string) (metav1.Object, error) {
		r, err := routes(c, ns)
		if err != nil {
			return nil, err
		}
		return object(r.Get(ctx, name, metav1.GetOptions{}))
	},
	list: func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
		if c.Dynamic == nil {
			return nil, nil // nothing can have been written without one
		}
		l, err := c.Dynamic.Resource(headlamp.HTTPRouteGVR).Namespace(ns).List(ctx, o)
		switch {
		case apierrors.IsNotFound(err):
			return nil, nil
		case err != nil:
			return nil, err
		}
		objs := make([]metav1.Object, len(l.Items))
		for i := range l.Items {
			objs[i] = &l.Items[i]
		}
		return objs, nil
	},
	watch: func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) (watch.Interface, error) {
		r, err := routes(c, ns)
		if err != nil {
			return nil, err
		}
		return r.Watch(ctx, o)
	},
	del: func(ctx context.Context, c Clients, ns, name string, o metav1.DeleteOptions) error {
		r, err := routes(c, ns)
		if err != nil {
			return err
		}
		return r.Delete(ctx, name, o)
	},
	apply: func(ctx context.Context, c Clients, ns string, obj any, o metav1.ApplyOptions) (metav1.Object, error) {
		u, ok := obj.(*unstructured.Unstructured)
		if !ok || u.GetKind() != headlamp.KindHTTPRoute {
			return nil, fmt.Errorf("cannot apply %T as an httproute", obj)
		}
		r, err := routes(c, ns)
		if err != nil {
			return nil, err
		}
		return object(r.Apply(ctx, u.GetName(), u, o))
	},
	create: func(ctx context.Context, c Clients, ns string, obj metav1.Object, o metav1.CreateOptions) (metav1.Object, error) {
		u, ok := obj.(*unstructured.Unstructured)
		if !ok {
			return nil, fmt.Errorf("cannot create %T as an httproute", obj)
		}
		r, err := routes(c, ns)
		if err != nil {
			return nil, err
		}
		return object(r.Create(ctx, u, o))
	},
	patch: func(ctx context.Context, c Clients, ns, name string, pt types.PatchType, data []byte, o metav1.PatchOptions) (metav1.Object, error) {
		r, err := routes(c, ns)
		if err != nil {
			return nil, err
		}
		return object(r.Patch(ctx, name, pt, data, o))
	}}

func routes(c Clients, ns string) (dynamic.ResourceInterface, error) {
	if c.Dynamic == nil {
		return nil, errNoDynamic
	}
	return c.Dynamic.Resource(headlamp.HTTPRouteGVR).Namespace(ns), nil
}
