package install

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"
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
	networkPolicies = newKind("networkpolicy", "networking.k8s.io", "networkpolicies",
		func(cs kubernetes.Interface, ns string) typedClient[*networkingv1.NetworkPolicy, *networkingv1.NetworkPolicyList, *networkingv1ac.NetworkPolicyApplyConfiguration] {
			return cs.NetworkingV1().NetworkPolicies(ns)
		},
		func(l *networkingv1.NetworkPolicyList) []networkingv1.NetworkPolicy { return l.Items })
	roles = newKind("role", "rbac.authorization.k8s.io", "roles",
		func(cs kubernetes.Interface, ns string) typedClient[*rbacv1.Role, *rbacv1.RoleList, *rbacv1ac.RoleApplyConfiguration] {
			return cs.RbacV1().Roles(ns)
		},
		func(l *rbacv1.RoleList) []rbacv1.Role { return l.Items })
	roleBindings = newKind("rolebinding", "rbac.authorization.k8s.io", "rolebindings",
		func(cs kubernetes.Interface, ns string) typedClient[*rbacv1.RoleBinding, *rbacv1.RoleBindingList, *rbacv1ac.RoleBindingApplyConfiguration] {
			return cs.RbacV1().RoleBindings(ns)
		},
		func(l *rbacv1.RoleBindingList) []rbacv1.RoleBinding { return l.Items })
)

// allKinds is the deletion order: what exposes Headlamp, who may find it, Headlamp, its
// configuration, and last the NetworkPolicy, so that no pod of it runs unguarded.
var allKinds = []*kind{&httpRoutes, &ingresses, &services, &roleBindings, &roles, &deployments, &configMaps, &secrets,
	&serviceAccounts, &networkPolicies}
