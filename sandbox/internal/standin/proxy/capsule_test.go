package proxy

import (
	"slices"
	"testing"

	authv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
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
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(),
		map[schema.GroupVersionResource]string{tenantGVR: "TenantList", configGVR: "CapsuleConfigurationList"}, cfg, ta, tb)
	s := &Server{cfg: Config{ConfigName: "default"}, dyn: dyn}
	for _, tc := range []struct {
		user        authv1.UserInfo
		capsuleUser bool
		owned       []string
	}{
		{authv1.UserInfo{Username: "alice", Groups: []string{"owners", "devs"}}, true, []string{"a"}},
		{authv1.UserInfo{Username: "bob", Groups: []string{"devs"}}, false, nil},
	} {
		owned, isUser, err := s.ownedTenants(t.Context(), tc.user)
		if err != nil || isUser != tc.capsuleUser || !slices.Equal(owned, tc.owned) {
			t.Errorf("%s: owned %v capsule user %v err %v; want %v %v", tc.user.Username, owned, isUser, err, tc.owned, tc.capsuleUser)
		}
	}
}
