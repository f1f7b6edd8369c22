package doctor

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// TestProxyIdentityFaults: each way capsule-proxy comes to see another user, or another configuration,
// than the API server and Capsule is found by its check, and by no other.
func TestProxyIdentityFaults(t *testing.T) {
	tests := []struct {
		name      string
		proxyArgs []string
		objects   []*unstructured.Unstructured
		id        engine.ID
		want      engine.Status
		contains  string
	}{
		{"default username claim", []string{"--enable-ssl=true"}, nil, authn.IDProxyUsername, engine.StatusFail,
			`reads the user name from claim "preferred_username", the API server from "email"`},
		{"claim from an env var", []string{"--oidc-username-claim=$(CLAIM)"}, nil, authn.IDProxyUsername, engine.StatusFail, `claim "$(CLAIM)"`},
		{"configuration that does not exist", []string{"--oidc-username-claim=email", "--capsule-configuration-name", "tenants"}, nil,
			capsule.IDUsers, engine.StatusFail, "CapsuleConfiguration tenants (named by --capsule-configuration-name of capsule-proxy capsule-system/capsule-proxy) does not exist"},
		{"deprecated userGroups", []string{"--oidc-username-claim=email", "--capsule-configuration-name=legacy"},
			[]*unstructured.Unstructured{capsuleConfig("legacy", map[string]any{"userGroups": []any{"tenant-a-owners"}})},
			capsule.IDUsersField, engine.StatusWarn, "deprecated spec.userGroups lists tenant-a-owners; status.users is empty"},
		{"deprecated flag", []string{"--oidc-username-claim=email", "--capsule-user-group=tenant-a-owners"}, nil,
			proxy.IDDeployment, engine.StatusWarn, "deprecated --capsule-user-group=tenant-a-owners"},
		{"GlobalProxySettings without the gate", nil, []*unstructured.Unstructured{proxyObject("GlobalProxySettings", "", "nodes", nil)},
			proxy.IDSettings, engine.StatusWarn, "GlobalProxySettings nodes are ignored"},
		{"ProxySetting operations under the gate", append(doctortest.HealthyProxyArgs[:2:2], "--feature-gates=ProxyClusterScoped=true"),
			[]*unstructured.Unstructured{proxyObject("ProxySetting", "tenant-a-dev", "sre", []any{map[string]any{"kind": "Nodes", "operations": []any{"List"}}})},
			proxy.IDSettings, engine.StatusWarn, "proxySettings operations of ProxySetting tenant-a-dev/sre are ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := doctortest.NewWorld(t)
			w.ProxyArgs, w.DynamicObjects = tt.proxyArgs, tt.objects
			got := diagnose(t, w, []byte(healthyAuthConfig))
			o := got[tt.id]
			if o.Status != tt.want || !strings.Contains(o.Message, tt.contains) || o.Hint == "" {
				t.Errorf("%s = %s %q (hint %q), want %s containing %q", tt.id, o.Status, o.Message, o.Hint, tt.want, tt.contains)
			}
			for id, other := range got {
				if (other.Status == engine.StatusFail || other.Status == engine.StatusWarn) && id != tt.id {
					t.Errorf("false alarm: %s also %s: %q", id, other.Status, other.Message)
				}
			}
		})
	}
}

func capsuleConfig(name string, spec map[string]any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "capsule.clastix.io/v1beta2", "kind": "CapsuleConfiguration",
		"metadata": map[string]any{"name": name}, "spec": spec}}
}

// proxyObject is a ProxySetting (in namespace) or GlobalProxySettings granting a subject operations.
func proxyObject(kind, namespace, name string, operations []any) *unstructured.Unstructured {
	meta := map[string]any{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	subject := map[string]any{"kind": "User", "name": "alice"}
	if operations != nil {
		subject["proxySettings"] = operations
	}
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "capsule.clastix.io/v1beta1", "kind": kind,
		"metadata": meta, "spec": map[string]any{"subjects": []any{subject}}}}
}
