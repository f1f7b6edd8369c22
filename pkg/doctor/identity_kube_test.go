package doctor

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

func TestKubeIdentityReviewSendsOnlyTheToken(t *testing.T) {
	serverTime := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", serverTime.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/version" {
			_, _ = w.Write([]byte(`{"gitVersion":"v1.37.2"}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer the-token" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
			"status": map[string]any{"userInfo": map[string]any{"username": "alice@example.com", "groups": []string{"tenant-a-owners"}}}})
	}))
	defer srv.Close()
	k := &KubeIdentity{Base: &rest.Config{Host: srv.URL, Username: "admin", Password: "admin-password"}}
	r, err := k.Review(t.Context(), oidc.NewSecret("the-token"))
	if err != nil || r.Username != "alice@example.com" {
		t.Fatalf("review: %+v %v", r, err)
	}
	now, err := k.ServerTime(t.Context())
	if err != nil || now.Sub(serverTime) > time.Minute || now.Before(serverTime) {
		t.Errorf("server time %v (%v), want about %v", now, err, serverTime)
	}
	if _, err := k.ProxyReview(t.Context(), nil, oidc.NewSecret("the-token")); err == nil || !strings.Contains(err.Error(), "--proxy-address") {
		t.Errorf("proxy review without an endpoint: %v", err)
	}
}

func TestKubeIdentityCapsuleObjects(t *testing.T) {
	cfg := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "capsule.clastix.io/v1beta2", "kind": "CapsuleConfiguration",
		"metadata": map[string]any{"name": "default"},
		"spec":     map[string]any{"users": []any{map[string]any{"kind": "Group", "name": "spec-group"}}},
		"status":   map[string]any{"users": []any{map[string]any{"kind": "Group", "name": "tenant-a-owners"}}}}}
	tenant := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "capsule.clastix.io/v1beta2", "kind": "Tenant",
		"metadata": map[string]any{"name": "tenant-a"},
		"spec":     map[string]any{"owners": []any{map[string]any{"kind": "Group", "name": "tenant-a-owners"}}}}}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{capsuleTenants: "TenantList", capsuleConfigs: "CapsuleConfigurationList"}, cfg, tenant)
	k := &KubeIdentity{Dynamic: dyn}
	users, err := k.CapsuleUsers(t.Context())
	if err != nil || len(users) != 1 || users[0].Name != "tenant-a-owners" {
		t.Errorf("capsule users = %v %v, want status.users", users, err)
	}
	owners, err := k.TenantOwners(t.Context())
	if err != nil || len(owners["tenant-a"]) != 1 {
		t.Errorf("owners = %v %v", owners, err)
	}
}

// TestCapsuleUsersComeFromTheCapsuleConfigFact: in a full run the identity checks' Capsule users are
// part 1's CapsuleConfiguration fact, so the run reads and parses it once.
func TestCapsuleUsersComeFromTheCapsuleConfigFact(t *testing.T) {
	for _, f := range AllFacts(Env{}) {
		if f.Name != idCapsuleUsers.Name() {
			continue
		}
		if len(f.Needs) != 1 || f.Needs[0] != factCapsuleConfig.Name() {
			t.Fatalf("%s needs %v, want only %s", f.Name, f.Needs, factCapsuleConfig.Name())
		}
		in := NewFacts(time.Now(), map[FactName]any{factCapsuleConfig.Name(): CapsuleConfig{Users: []Subject{{Kind: "Group", Name: "owners"}}}}, nil)
		got, err := f.Produce(t.Context(), in)
		if users, _ := got.([]rbacv1.Subject); err != nil || len(users) != 1 || users[0] != (rbacv1.Subject{Kind: "Group", Name: "owners"}) {
			t.Errorf("capsule users = %v, %v", got, err)
		}
		return
	}
	t.Fatalf("no %s fact", idCapsuleUsers.Name())
}
