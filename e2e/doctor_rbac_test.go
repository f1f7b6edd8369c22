package e2e

import (
	"context"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// secretlessViewer is a user who may read what the built-in view role shows (which leaves out Secrets),
// plus capsule-proxy's Secret and port-forwards in the Capsule namespace: everything doctor reads but
// Headlamp's OIDC Secret.
const secretlessViewer = "viewer@example.com"

// grantSecretlessViewer binds secretlessViewer until the test ends.
func grantSecretlessViewer(t *testing.T) {
	t.Helper()
	ns := stack.CapsuleNamespace
	subject := []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: secretlessViewer}}
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "doctor-viewer", Namespace: ns}, Rules: []rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get"}, ResourceNames: []string{"capsule-proxy"}},
		{APIGroups: []string{""}, Resources: []string{"pods/portforward"}, Verbs: []string{"get", "create"}},
	}}
	rb := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "doctor-viewer", Namespace: ns}, Subjects: subject,
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name}}
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "doctor-viewer"}, Subjects: subject,
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "view"}}
	rbac := sb.Kube().RbacV1()
	if _, err := rbac.Roles(ns).Create(t.Context(), role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rbac.RoleBindings(ns).Create(t.Context(), rb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rbac.ClusterRoleBindings().Create(t.Context(), crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for name, err := range map[string]error{
			"role":               rbac.Roles(ns).Delete(ctx, role.Name, metav1.DeleteOptions{}),
			"rolebinding":        rbac.RoleBindings(ns).Delete(ctx, rb.Name, metav1.DeleteOptions{}),
			"clusterrolebinding": rbac.ClusterRoleBindings().Delete(ctx, crb.Name, metav1.DeleteOptions{}),
		} {
			if err != nil {
				t.Errorf("delete %s doctor-viewer: %v", name, err)
			}
		}
	})
}

// expectOIDCSecretUnknown checks a run by secretlessViewer, who may read ConfigMaps but not Headlamp's
// Secret: the checks of the Deployment and of the OIDC settings (in the ConfigMap install writes)
// pass, and the one check that needs the client secret is unknown, naming the permission.
func expectOIDCSecretUnknown(t *testing.T, rep doctorReport) {
	t.Helper()
	permission := "get secrets headlamp-oidc -n " + stack.CapsuleNamespace
	got := rep.byID()
	for _, id := range []string{"HEADLAMP-FOUND", "HEADLAMP-READY", "HEADLAMP-API-HOST", "HEADLAMP-CA",
		"HEADLAMP-INSECURE-SSL", "HEADLAMP-SA-TOKEN", "HEADLAMP-REPLICAS"} {
		if o := got[id]; o.Status != "pass" {
			t.Errorf("%s = %s %q, want pass: it judges the Deployment, which the user may read", id, o.Status, o.Message)
		}
	}
	if o := got["HEADLAMP-OIDC"]; o.Status != "pass" {
		t.Errorf("HEADLAMP-OIDC = %s %q, want pass: the settings are in a ConfigMap the user may read", o.Status, o.Message)
	}
	if o := got["IDP-CLIENT"]; o.Status != "unknown" || !strings.Contains(o.Message, permission) {
		t.Errorf("IDP-CLIENT = %s %q, want unknown naming %q", o.Status, o.Message, permission)
	}
	for _, o := range rep.Checks {
		if (o.Status == "fail" || o.Status == "warn") && o.ID != "CLUSTER-PERMISSIONS" {
			t.Errorf("a missing permission is not a finding: %s %s %q", o.ID, o.Status, o.Message)
		}
	}
}
