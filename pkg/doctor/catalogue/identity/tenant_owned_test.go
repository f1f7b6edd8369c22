package identity_test

import (
	"errors"
	"net/http"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// TestTenantOwned: capsule-proxy's list of the user's tenants is the verdict, and every Tenant is
// read only when that list shows none, to say whether the user owns one all the same.
func TestTenantOwned(t *testing.T) {
	const tenants = "/apis/capsule.clastix.io/v1beta2/tenants"
	noTenant := identity.ProxyAnswer{Code: http.StatusOK, Body: []byte(`{"kind":"TenantList","items":[]}`)}
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "capsule.clastix.io", Resource: "tenants"}, "", errors.New("may not list"))
	cases := []struct {
		name   string
		change func(s *scenario)
		status engine.Status
		want   string // in the message or hint
		reads  int    // of every Tenant
	}{
		{"the proxy lists the tenant", func(*scenario) {}, engine.StatusPass, "capsule-proxy lists tenant-a", 0},
		{"the proxy lists a tenant the admin may not read", func(s *scenario) { s.cluster.OwnersErr = forbidden },
			engine.StatusPass, "capsule-proxy lists tenant-a", 0},
		{"an owner the proxy does not list", func(s *scenario) { s.cluster.Answers = map[string]identity.ProxyAnswer{tenants: noTenant} },
			engine.StatusWarn, "kubectl get tenant tenant-a -o jsonpath='{.status.owners}'", 1},
		{"no tenant at all", func(s *scenario) {
			s.cluster.Answers = map[string]identity.ProxyAnswer{tenants: noTenant}
			s.cluster.Owners = map[string][]rbacv1.Subject{"tenant-b": {{Kind: "User", Name: "carol"}}}
		}, engine.StatusWarn, "the user owns no tenant among 1", 1},
		{"none listed, the Tenants unreadable", func(s *scenario) {
			s.cluster.Answers = map[string]identity.ProxyAnswer{tenants: noTenant}
			s.cluster.OwnersErr = forbidden
		}, engine.StatusWarn, "capsule-proxy lists no tenant for the user (reading the Tenants to say why:", 1},
		{"the proxy unreachable", func(s *scenario) { s.cluster.ProxyErr = errors.New("connection refused") },
			engine.StatusPass, "tenant-a", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t)
			tc.change(s)
			expectOutcome(t, s.run(t)[identity.IDTenantOwned], tc.status, tc.want)
			if s.cluster.OwnerReads != tc.reads {
				t.Errorf("every Tenant read %d times, want %d", s.cluster.OwnerReads, tc.reads)
			}
		})
	}
}
