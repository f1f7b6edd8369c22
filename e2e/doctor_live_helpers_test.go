package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// loglessViewer may read all that the built-in view role shows but pods' logs, plus Secrets and
// port-forwards: what doctor reads of Headlamp and capsule-proxy, but Headlamp's log.
const loglessViewer = "logless@example.com"

// grantLoglessViewer binds loglessViewer to a copy of the view role without pods/log until the test ends.
func grantLoglessViewer(t *testing.T) {
	t.Helper()
	ctx, rbac := t.Context(), sb.Kube().RbacV1()
	view, err := rbac.ClusterRoles().Get(ctx, "view", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var rules []rbacv1.PolicyRule
	for _, r := range view.Rules {
		r.Resources = slices.DeleteFunc(slices.Clone(r.Resources), func(res string) bool { return res == "pods/log" })
		if len(r.Resources) > 0 || len(r.NonResourceURLs) > 0 {
			rules = append(rules, r)
		}
	}
	rules = append(rules,
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get"}},
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/portforward"}, Verbs: []string{"get", "create"}})
	subject := []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: loglessViewer}}
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "doctor-logless"}, Rules: rules}
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "doctor-logless"}, Subjects: subject,
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name}}
	if _, err := rbac.ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rbac.ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if err := rbac.ClusterRoleBindings().Delete(ctx, crb.Name, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete clusterrolebinding %s: %v", crb.Name, err)
		}
		if err := rbac.ClusterRoles().Delete(ctx, role.Name, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete clusterrole %s: %v", role.Name, err)
		}
	})
}

// applyIngress routes host, with TLS, to Headlamp's Service in the Capsule namespace until the test ends.
func applyIngress(t *testing.T, name, host string) {
	t.Helper()
	ing := fmt.Sprintf(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: %s, namespace: %s}
spec:
  tls: [{hosts: [%s], secretName: headlamp-tls}]
  rules:
  - host: %s
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: headlamp, port: {name: http}}}}]}
`, name, stack.CapsuleNamespace, host, host)
	if _, err := sb.Apply(t.Context(), []byte(ing)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sb.Kube().NetworkingV1().Ingresses(stack.CapsuleNamespace).Delete(context.Background(), name, metav1.DeleteOptions{})
	})
}
