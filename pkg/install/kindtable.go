package install

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// The kinds, in the order uninstall deletes them: what exposes Headlamp first, its configuration last.
var (
	ingresses = kind{singular: "ingress", group: "networking.k8s.io", resource: "ingresses",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.NetworkingV1().Ingresses(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.NetworkingV1().Ingresses(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.NetworkingV1().Ingresses(ns).Delete(ctx, name, o)
		}}
	services = kind{singular: "service", resource: "services",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.CoreV1().Services(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.CoreV1().Services(ns).Delete(ctx, name, o)
		}}
	deployments = kind{singular: "deployment", group: "apps", resource: "deployments",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.AppsV1().Deployments(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.AppsV1().Deployments(ns).Delete(ctx, name, o)
		}}
	configMaps = kind{singular: "configmap", resource: "configmaps",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.CoreV1().ConfigMaps(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.CoreV1().ConfigMaps(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.CoreV1().ConfigMaps(ns).Delete(ctx, name, o)
		}}
	secrets = kind{singular: "secret", resource: "secrets",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.CoreV1().Secrets(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.CoreV1().Secrets(ns).Delete(ctx, name, o)
		}}
	serviceAccounts = kind{singular: "serviceaccount", resource: "serviceaccounts",
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			return cs.CoreV1().ServiceAccounts(ns).Get(ctx, name, metav1.GetOptions{})
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := cs.CoreV1().ServiceAccounts(ns).List(ctx, o)
			if err != nil {
				return nil, err
			}
			return items(l.Items)
		},
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return cs.CoreV1().ServiceAccounts(ns).Delete(ctx, name, o)
		}}
)

// allKinds is the deletion order.
var allKinds = []*kind{&ingresses, &services, &deployments, &configMaps, &secrets, &serviceAccounts}

// items turns the items of a typed list into objects.
func items[T any, P interface {
	*T
	metav1.Object
}](list []T) ([]metav1.Object, error) {
	objs := make([]metav1.Object, len(list))
	for i := range list {
		objs[i] = P(&list[i])
	}
	return objs, nil
}
