package proxy

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	authv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	configGVR = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "capsuleconfigurations"}
	tenantGVR = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "tenants"}
)

// subject is a Capsule user or tenant owner entry ({kind, name}).
type subject struct{ kind, name string }

func (sub subject) matches(u authv1.UserInfo) bool {
	switch sub.kind {
	case "Group":
		return slices.Contains(u.Groups, sub.name)
	case "User", "ServiceAccount":
		return u.Username == sub.name
	}
	return false
}

// ownedTenants reports whether u is a Capsule user (CapsuleConfiguration status.users, which the
// controller fills from spec.users; spec.users while the status is still empty) and which tenants
// list u among their owners (status.owners, as the real proxy indexes them; spec.owners while the
// status is still empty), from the proxy's cache.
func (s *Server) ownedTenants(u authv1.UserInfo) ([]string, bool, error) {
	c := s.capsule.get()
	if c == nil {
		return nil, false, errors.New("the proxy is stopping")
	}
	cfg, err := c.config(s.cfg.ConfigName)
	if err != nil {
		return nil, false, fmt.Errorf("read CapsuleConfiguration %s: %w", s.cfg.ConfigName, err)
	}
	users := subjects(cfg, "status", "users")
	if len(users) == 0 {
		users = subjects(cfg, "spec", "users")
	}
	if !slices.ContainsFunc(users, func(sub subject) bool { return sub.matches(u) }) {
		return nil, false, nil
	}
	tenants, err := c.tenantList()
	if err != nil {
		return nil, true, fmt.Errorf("list tenants: %w", err)
	}
	owned := map[string]bool{}
	for _, t := range tenants {
		owners := subjects(t, "status", "owners")
		if len(owners) == 0 {
			owners = subjects(t, "spec", "owners")
		}
		if slices.ContainsFunc(owners, func(sub subject) bool { return sub.matches(u) }) {
			owned[t.GetName()] = true
		}
	}
	return sorted(owned), true, nil
}

func subjects(obj *unstructured.Unstructured, path ...string) []subject {
	items, _, _ := unstructured.NestedSlice(obj.Object, path...)
	var out []subject
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		kind, _ := m["kind"].(string)
		name, _ := m["name"].(string)
		out = append(out, subject{kind: strings.TrimSpace(kind), name: name})
	}
	return out
}
