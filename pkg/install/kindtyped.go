package install

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
)

// typedClient is the part of a kind's typed client install uses; A is its apply configuration.
type typedClient[P metav1.Object, L, A any] interface {
	Get(ctx context.Context, name string, o metav1.GetOptions) (P, error)
	List(ctx context.Context, o metav1.ListOptions) (L, error)
	Watch(ctx context.Context, o metav1.ListOptions) (watch.Interface, error)
	Delete(ctx context.Context, name string, o metav1.DeleteOptions) error
	Apply(ctx context.Context, obj A, o metav1.ApplyOptions) (P, error)
	Create(ctx context.Context, obj P, o metav1.CreateOptions) (P, error)
	Patch(ctx context.Context, name string, pt types.PatchType, data []byte, o metav1.PatchOptions, subresources ...string) (P, error)
}

// newKind makes a kind from its typed client and the items of its list type.
func newKind[T any, P interface {
	*T
	metav1.Object
}, L, A any](singular, group, resource string, client func(kubernetes.Interface, string) typedClient[P, L, A], items func(L) []T) kind {
	return kind{singular: singular, group: group, resource: resource,
		get: func(ctx context.Context, c Clients, ns, name string) (metav1.Object, error) {
			return object(client(c.Kube, ns).Get(ctx, name, metav1.GetOptions{}))
		},
		list: func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := client(c.Kube, ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			list := items(l)
			objs := make([]metav1.Object, len(list))
			for i := range list {
				objs[i] = P(&list[i])
			}
			return objs, nil
		},
		watch: func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) (watch.Interface, error) {
			return client(c.Kube, ns).Watch(ctx, o)
		},
		del: func(ctx context.Context, c Clients, ns, name string, o metav1.DeleteOptions) error {
			return client(c.Kube, ns).Delete(ctx, name, o)
		},
		apply: func(ctx context.Context, c Clients, ns string, obj any, o metav1.ApplyOptions) (metav1.Object, error) {
			ac, ok := obj.(A)
			if !ok {
				return nil, fmt.Errorf("cannot apply %T as a %s", obj, singular)
			}
			return object(client(c.Kube, ns).Apply(ctx, ac, o))
		},
		create: func(ctx context.Context, c Clients, ns string, obj metav1.Object, o metav1.CreateOptions) (metav1.Object, error) {
			typed, ok := obj.(P)
			if !ok {
				return nil, fmt.Errorf("cannot create %T as a %s", obj, singular)
			}
			return object(client(c.Kube, ns).Create(ctx, typed, o))
		},
		patch: func(ctx context.Context, c Clients, ns, name string, pt types.PatchType, data []byte, o metav1.PatchOptions) (metav1.Object, error) {
			return object(client(c.Kube, ns).Patch(ctx, name, pt, data, o))
		}}
}

// object returns a typed client's answer as a metav1.Object, never a typed nil inside the interface.
func object[P metav1.Object](obj P, err error) (metav1.Object, error) {
	if err != nil {
		return nil, err
	}
	return obj, nil
}
