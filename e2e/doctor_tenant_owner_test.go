package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorOwnerThroughTenantOwner: bob is in no Tenant's spec.owners; a TenantOwner that tenant-a's
// spec.permissions.matchOwners selects makes him an owner in its status.owners, which is what
// capsule-proxy indexes. doctor then finds his tenant and its namespaces through capsule-proxy.
func TestDoctorOwnerThroughTenantOwner(t *testing.T) {
	installHeadlamp(t)
	const label = "e2e-doctor-owner"
	createTenantOwner(t, "e2e-bob", label, stack.Bob.Email)
	mergePatchUntilEnd(t, tenantsGVR, stack.TenantName, `{"spec":{"permissions":{"matchOwners":[{"matchLabels":{"`+label+`":"bob"}}]}}}`,
		`{"spec":{"permissions":{"matchOwners":null}}}`)
	file, _ := userToken(t, stack.Bob.Email, stack.HeadlampClientID, nil)
	var rep doctorReport
	eventually(t, "Capsule lists bob in tenant-a's status.owners and capsule-proxy finds it", func(context.Context) error {
		rep, _ = doctorRun(t, nil, adminEnv(), "--token-file", file)
		if o := rep.byID()["TENANT-OWNED"]; o.Status != "pass" {
			return fmt.Errorf("TENANT-OWNED %s %q", o.Status, o.Message)
		}
		return nil
	})
	got := rep.byID()
	if o := got["TENANT-OWNED"]; !strings.HasPrefix(o.Message, "capsule-proxy lists") || !slices.Equal(evidenceStrings(o, "tenants"), []string{stack.TenantName}) {
		t.Errorf("TENANT-OWNED %q, tenants %v, want capsule-proxy to list %s", o.Message, evidenceStrings(o, "tenants"), stack.TenantName)
	}
	if ns := evidenceStrings(got["TENANT-NAMESPACES"], "namespaces"); !slices.Equal(ns, stack.TenantNamespaces) {
		t.Errorf("bob's namespaces through capsule-proxy %v, want %v", ns, stack.TenantNamespaces)
	}
}

// createTenantOwner creates a TenantOwner naming user, labelled label=bob, until the test ends.
func createTenantOwner(t *testing.T, name, label, user string) {
	t.Helper()
	createUntilEnd(t, tenantOwners, &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta2", "kind": "TenantOwner",
		"metadata": map[string]any{"name": name, "labels": map[string]any{label: "bob"}},
		"spec":     map[string]any{"kind": "User", "name": user}}})
}
