package install

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
	"k8s.io/client-go/kubernetes"
)

// The kinds, in the order uninstall deletes them: what exposes Headlamp first, its configuration last.
var (
	ingresses = newKind("ingress", "networking.k8s.io", "ingresses",
		func(cs kubernetes.Interface, ns string) typedClient[*networkingv1.Ingress, *networkingv1.IngressList, *networkingv1ac.IngressApplyConfiguration] {
			return cs.NetworkingV1().Ingresses(ns)
		},
		func(l *networkingv1.IngressList) []networkingv1.Ingress { return l.Items })
	services = newKind("service", "", "services",
		func(cs kubernetes.Interface, ns string) typedClient[*corev1.Service, *corev1.ServiceList, *corev1ac.ServiceApplyConfiguration] {
			return cs.CoreV1().Services(ns)
		},
		func(l *corev1.ServiceList) []corev1.Service { return l.Items })
	deployments = newKind("deployment", "apps", "deployments",
		func(cs kubernetes.Interface, ns string) typedClient[*appsv1.Deployment, *appsv1.DeploymentList, *appsv1ac.DeploymentApplyConfiguration] {
			return cs.AppsV1().Deployments(ns)
		},
		func(l *appsv1.DeploymentList) []appsv1.Deployment { return l.Items })
	configMaps = newKind("configmap", "", "configmaps",
		func(cs kubernetes.Interface, ns string) typedClient[*corev1.ConfigMap, *corev1.ConfigMapList, *corev1ac.ConfigMapApplyConfiguration] {
			return cs.CoreV1().ConfigMaps(ns)
		},
		func(l *corev1.ConfigMapList) []corev1.ConfigMap { return l.Items })
	secrets = newKind("secret", "", "secrets",
		func(cs kubernetes.Interface, ns string) typedClient[*corev1.Secret, *corev1.SecretList, *corev1ac.SecretApplyConfiguration] {
			return cs.CoreV1().Secrets(ns)
		},
		func(l *corev1.SecretList) []corev1.Secret { return l.Items })
	serviceAccounts = newKind("serviceaccount", "", "serviceaccounts",
		func(cs kubernetes.Interface, ns string) typedClient[*corev1.ServiceAccount, *corev1.ServiceAccountList, *corev1ac.ServiceAccountApplyConfiguration] {
			return cs.CoreV1().ServiceAccounts(ns)
		},
		func(l *corev1.ServiceAccountList) []corev1.ServiceAccount { return l.Items })
)

// allKinds is the deletion order.
var allKinds = []*kind{&ingresses, &services, &deployments, &configMaps, &secrets, &serviceAccounts}

// typedClient is the part of a kind's typed client install uses; A is its apply configuration.
type typedClient[P metav1.Object, L, A any] interface {
	Get(ctx context.Context, name string, o metav1.GetOptions) (P, error)
	List(ctx context.Context, o metav1.ListOptions) (L, error)
	Delete(ctx context.Context, name string, o metav1.DeleteOptions) error
	Apply(ctx context.Context, obj A, o metav1.ApplyOptions) (P, error)
}

// newKind makes a kind from its typed client and the items of its list type.
func newKind[T any, P interface {
	*T
	metav1.Object
}, L, A any](singular, group, resource string, client func(kubernetes.Interface, string) typedClient[P, L, A], items func(L) []T) kind {
	return kind{singular: singular, group: group, resource: resource,
		get: func(ctx context.Context, cs kubernetes.Interface, ns, name string) (metav1.Object, error) {
			obj, err := client(cs, ns).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return nil, err // not a typed nil inside the interface
			}
			return obj, nil
		},
		list: func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]metav1.Object, error) {
			l, err := client(cs, ns).List(ctx, o)
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
		del: func(ctx context.Context, cs kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error {
			return client(cs, ns).Delete(ctx, name, o)
		},
		apply: func(ctx context.Context, cs kubernetes.Interface, ns string, obj any, o metav1.ApplyOptions) (metav1.Object, error) {
			ac, ok := obj.(A)
			if !ok {
				return nil, fmt.Errorf("cannot apply %T as a %s", obj, singular)
			}
			return client(cs, ns).Apply(ctx, ac, o)
		}}
}
