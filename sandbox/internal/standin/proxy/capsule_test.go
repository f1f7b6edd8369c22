package proxy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	authv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"
)

func obj(kind, name string, content map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: content}
	u.SetAPIVersion("capsule.clastix.io/v1beta2")
	u.SetKind(kind)
	u.SetName(name)
	return u
}

func entries(kind, name string) []any { return []any{map[string]any{"kind": kind, "name": name}} }

func TestOwnedTenants(t *testing.T) {
	cfg := obj("CapsuleConfiguration", "default", map[string]any{"spec": map[string]any{"users": entries("Group", "owners")}})
	ta := obj("Tenant", "a", map[string]any{"spec": map[string]any{"owners": entries("Group", "owners")}})
	tb := obj("Tenant", "b", map[string]any{"spec": map[string]any{"owners": entries("User", "carol")}})
	// status.owners is what counts once the controller filled it: dave through a TenantOwner object,
	// carol no longer (her spec entry is not reconciled yet).
	tStatus := obj("Tenant", "c", map[string]any{"spec": map[string]any{"owners": entries("User", "carol")},
		"status": map[string]any{"owners": entries("User", "dave")}})
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{tenantGVR: "TenantList", configGVR: "CapsuleConfigurationList"}, cfg, ta, tb, tStatus)
	s := &Server{cfg: Config{ConfigName: "default"}, dyn: dyn}
	if err := s.Rewatch(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.capsule.swap(nil)
	for _, tc := range []struct {
		user        authv1.UserInfo
		capsuleUser bool
		owned       []string
	}{
		{authv1.UserInfo{Username: "alice", Groups: []string{"owners", "devs"}}, true, []string{"a"}},
		{authv1.UserInfo{Username: "bob", Groups: []string{"devs"}}, false, nil},
		{authv1.UserInfo{Username: "carol", Groups: []string{"owners"}}, true, []string{"a", "b"}},
		{authv1.UserInfo{Username: "dave", Groups: []string{"owners"}}, true, []string{"a", "c"}},
	} {
		owned, isUser, err := s.ownedTenants(tc.user)
		if err != nil || isUser != tc.capsuleUser || !slices.Equal(owned, tc.owned) {
			t.Errorf("%s: owned %v capsule user %v err %v; want %v %v", tc.user.Username, owned, isUser, err, tc.owned, tc.capsuleUser)
		}
	}
}

// TestCacheFollowsTheCluster: the proxy filters with what its watch saw last, as the real one does
// with its manager's cache: a Tenant created later counts once the watch delivers it, a missing
// CapsuleConfiguration is an error, and a stopped proxy reads nothing.
func TestCacheFollowsTheCluster(t *testing.T) {
	cfg := obj("CapsuleConfiguration", "default", map[string]any{"spec": map[string]any{"users": entries("User", "alice")}})
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{tenantGVR: "TenantList", configGVR: "CapsuleConfigurationList"}, cfg)
	s := &Server{cfg: Config{ConfigName: "default"}, dyn: dyn}
	if err := s.Rewatch(t.Context()); err != nil {
		t.Fatal(err)
	}
	alice := authv1.UserInfo{Username: "alice"}
	if owned, isUser, err := s.ownedTenants(alice); err != nil || !isUser || len(owned) != 0 {
		t.Fatalf("before any tenant: %v %v %v", owned, isUser, err)
	}
	if _, err := dyn.Resource(tenantGVR).Create(t.Context(), obj("Tenant", "late", map[string]any{"spec": map[string]any{"owners": entries("User", "alice")}}), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for owned, _, _ := s.ownedTenants(alice); !slices.Equal(owned, []string{"late"}); owned, _, _ = s.ownedTenants(alice) {
		if time.Now().After(deadline) {
			t.Fatalf("the watch never delivered tenant late: owned %v", owned)
		}
		time.Sleep(10 * time.Millisecond)
	}

	s.cfg.ConfigName = "missing"
	if _, _, err := s.ownedTenants(alice); err == nil || !strings.Contains(err.Error(), `"missing" not found`) {
		t.Errorf("missing configuration: err = %v, want not found", err)
	}
	s.capsule.swap(nil)
	if _, _, err := s.ownedTenants(alice); err == nil {
		t.Error("a stopped proxy still read its cache")
	}
}

func TestRewatchGivesUpWithItsContext(t *testing.T) {
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{tenantGVR: "TenantList", configGVR: "CapsuleConfigurationList"})
	dyn.PrependReactor("list", "*", func(clienttesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("the API server is down")
	})
	s := &Server{dyn: dyn}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if err := s.Rewatch(ctx); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Rewatch() = %v, want the deadline", err)
	}
	if s.capsule.get() != nil {
		t.Error("a failed Rewatch left a cache")
	}
}
