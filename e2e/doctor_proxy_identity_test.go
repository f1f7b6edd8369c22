package e2e

import (
	"context"
	"fmt"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorProxyIdentity: capsule-proxy must see the user the API server sees and filter with the
// configuration Capsule keeps. Each subtest breaks one of capsule-proxy's flags or Capsule's objects
// and expects the check that names it; the healthy stack raises no warning.
func TestDoctorProxyIdentity(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	withToken := func(t *testing.T) []string {
		file, _ := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		return append(auth, "--token-file", file)
	}
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), withToken(t)...)
		expectAlice(t, rep, run)
		mustContain(t, "AUTHN-PROXY-USERNAME", rep.byID()["AUTHN-PROXY-USERNAME"].Message, `"`+stack.ProxyUsernameClaim+`"`)
	})
	t.Run("capsule-proxy reads another claim than the API server", func(t *testing.T) {
		proxyFlag(t, "oidc-username-claim", "sub")
		rep, _ := doctorRun(t, nil, adminEnv(), withToken(t)...)
		// One cause seen from three sides: the configuration, the token, and the proxy's own review.
		expectOnly(t, rep, "AUTHN-PROXY-USERNAME", "fail", []string{"TOKEN-PROXY-USERNAME", "REVIEW-PROXY"},
			`claim "sub", the API server from "email"`, "--oidc-username-claim=email")
		mustContain(t, "TOKEN-PROXY-USERNAME", rep.byID()["TOKEN-PROXY-USERNAME"].Message, `the API server "`+stack.Alice.Email+`" (claim "email")`)
	})
	t.Run("capsule-proxy reads a claim the token lacks", func(t *testing.T) {
		proxyFlag(t, "oidc-username-claim", "nickname")
		file, _ := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, _ := doctorRun(t, nil, adminEnv(), "--token-file", file) // no file: the token alone tells
		expectOnly(t, rep, "TOKEN-PROXY-USERNAME", "fail", []string{"REVIEW-PROXY"}, `claim "nickname" not present`)
	})
	t.Run("capsule-proxy reads a CapsuleConfiguration that does not exist", func(t *testing.T) {
		proxyFlag(t, "capsule-configuration-name", "missing")
		rep, _ := doctorRun(t, nil, adminEnv(), withToken(t)...)
		// Without its configuration the proxy filters for nobody: the tenant's views fail too.
		expectOnly(t, rep, "CAPSULE-USERS", "fail", []string{"TENANT-NAMESPACES", "TENANT-VIEWS"},
			"CapsuleConfiguration missing (named by --capsule-configuration-name of capsule-proxy capsule-system/capsule-proxy) does not exist")
	})
	t.Run("capsule-proxy ignores the tenant's group", func(t *testing.T) {
		proxyFlag(t, "ignored-user-group", stack.TenantOwnerGroup)
		rep, _ := doctorRun(t, nil, adminEnv(), withToken(t)...)
		expectOnly(t, rep, "REVIEW-PROXY-IGNORED", "warn", nil, "ignores the user's group "+stack.TenantOwnerGroup)
	})
	t.Run("the deprecated userGroups", func(t *testing.T) {
		mergePatchUntilEnd(t, capsuleConfigurations, stack.CapsuleConfigName, `{"spec":{"userGroups":["`+stack.TenantOwnerGroup+`"]}}`, `{"spec":{"userGroups":null}}`)
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "CAPSULE-USERS-FIELD", "warn", nil, "deprecated spec.userGroups lists "+stack.TenantOwnerGroup)
	})
	t.Run("a Capsule user who owns no tenant", func(t *testing.T) {
		// bob's group becomes a Capsule user group: capsule-proxy filters for bob, and finds no tenant.
		owners := `{"kind":"Group","name":"` + stack.TenantOwnerGroup + `"}`
		mergePatchUntilEnd(t, capsuleConfigurations, stack.CapsuleConfigName, `{"spec":{"users":[`+owners+`,{"kind":"Group","name":"developers"}]}}`, `{"spec":{"users":[`+owners+`]}}`)
		file, _ := userToken(t, stack.Bob.Email, stack.HeadlampClientID, nil)
		var rep doctorReport
		eventually(t, "Capsule and capsule-proxy take developers as Capsule users", func(context.Context) error {
			rep, _ = doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
			if o := rep.byID()["TENANT-OWNED"]; o.Status != "warn" {
				return fmt.Errorf("TENANT-OWNED %s %q", o.Status, o.Message)
			}
			return nil
		})
		// capsule-proxy lists bob no tenant; every Tenant read says he owns none.
		expectOnly(t, rep, "TENANT-OWNED", "warn", []string{"TENANT-NAMESPACES", "TENANT-VIEWS"}, "the user owns no tenant among")
	})
	t.Run("GlobalProxySettings without the ProxyClusterScoped gate", func(t *testing.T) {
		createGlobalProxySettings(t, "tenant-nodes")
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "PROXY-SETTINGS", "warn", nil, "GlobalProxySettings tenant-nodes are ignored", "ProxyClusterScoped=true")
	})
}

// proxyFlag runs capsule-proxy with --name=value until the test ends.
func proxyFlag(t *testing.T, name, value string) {
	t.Helper()
	restore, err := sb.SetProxyFlag(t.Context(), name, value)
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
}

// createGlobalProxySettings lets alice list nodes, until the test ends.
func createGlobalProxySettings(t *testing.T, name string) {
	t.Helper()
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta1", "kind": "GlobalProxySettings", "metadata": map[string]any{"name": name},
		"spec": map[string]any{"rules": []any{map[string]any{
			"subjects":         []any{map[string]any{"kind": "User", "name": stack.Alice.Email}},
			"clusterResources": []any{map[string]any{"apiGroups": []any{""}, "resources": []any{"nodes"}, "operations": []any{"List"}}},
		}}}}}
	createUntilEnd(t, globalProxySettings, obj)
}
