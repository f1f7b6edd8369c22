package identity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// viewsOf is TENANT-VIEWS' table, by view.
func viewsOf(t *testing.T, o engine.Outcome) map[string]identity.View {
	t.Helper()
	vs, ok := o.Evidence.Get("views").(identity.Views)
	if !ok {
		t.Fatalf("%s has no views table: %s %q", o.ID, o.Status, o.Message)
	}
	out := map[string]identity.View{}
	for _, v := range vs {
		out[v.View] = v
	}
	return out
}

// TestTenantViewsOwner: a tenant owner sees its namespaces, their pods and its tenant; nodes list
// empty and storage classes are forbidden, which is information, not a failure.
func TestTenantViewsOwner(t *testing.T) {
	o := newScenario(t).run(t)[identity.IDTenantViews]
	if o.Status != engine.StatusPass {
		t.Fatalf("TENANT-VIEWS = %s %q, want pass", o.Status, o.Message)
	}
	views := viewsOf(t, o)
	want := map[string]identity.Verdict{
		"version": identity.VerdictWorks, "core API discovery": identity.VerdictWorks, "rules in tenant-a-dev": identity.VerdictWorks,
		"namespaces": identity.VerdictWorks, "pods in tenant-a-dev": identity.VerdictWorks, "tenants": identity.VerdictWorks,
		"nodes": identity.VerdictEmpty, "storage classes": identity.VerdictForbidden, "ingress classes": identity.VerdictForbidden,
	}
	for name, verdict := range want {
		if got := views[name]; got.Verdict != verdict {
			t.Errorf("%s: %+v, want %s", name, got, verdict)
		}
	}
	if v := views["pods in tenant-a-dev"]; v.Path != "/api/v1/namespaces/tenant-a-dev/pods" || v.Code != 200 || v.Items == nil || *v.Items != 2 {
		t.Errorf("pods view %+v, want 2 pods listed in tenant-a-dev", v)
	}
	for _, s := range []string{"works: namespaces (2), pods in tenant-a-dev (2), tenants (1)", "empty: nodes", "forbidden: storage classes, ingress classes"} {
		if !strings.Contains(o.Message, s) {
			t.Errorf("message %q does not say %q", o.Message, s)
		}
	}
}

// TestTenantViewsNoTenant: a user in no tenant may list nothing: Headlamp would show nothing, a failure.
func TestTenantViewsNoTenant(t *testing.T) {
	s := newScenario(t)
	s.claims["email"], s.claims["groups"] = "bob@example.com", []string{"developers"}
	o := s.run(t)[identity.IDTenantViews]
	if o.Status != engine.StatusFail || !strings.Contains(o.Message, `"bob@example.com" would see nothing in Headlamp`) {
		t.Fatalf("TENANT-VIEWS = %s %q, want a failure: bob sees nothing", o.Status, o.Message)
	}
	views := viewsOf(t, o)
	if v := views["namespaces"]; v.Verdict != identity.VerdictForbidden || v.Code != 403 {
		t.Errorf("namespaces %+v, want forbidden", v)
	}
	if v := views["pods in <namespace>"]; v.Verdict != identity.VerdictNotAsked {
		t.Errorf("pods %+v, want not asked without a namespace", v)
	}
	if v := views["version"]; v.Verdict != identity.VerdictWorks {
		t.Errorf("version %+v: what Headlamp needs to start works for anyone", v)
	}
}

// TestTenantViewsAnswers: capsule-proxy's own refusal inside a 200 is forbidden with its code, a
// tenant whose lists are all empty sees nothing, a version Headlamp cannot read warns with its cause,
// and a proxy that cannot be asked leaves the check unknown.
func TestTenantViewsAnswers(t *testing.T) {
	notAllowed := identity.ProxyAnswer{Code: 200, Body: []byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"not allowed","reason":"BadRequest","code":400}`)}
	empty := identity.ProxyAnswer{Code: 200, Body: []byte(`{"items":[]}`)}
	t.Run("not allowed", func(t *testing.T) {
		s := newScenario(t)
		s.cluster.Answers = map[string]identity.ProxyAnswer{"/apis/storage.k8s.io/v1/storageclasses": notAllowed}
		o := s.run(t)[identity.IDTenantViews]
		if v := viewsOf(t, o)["storage classes"]; v.Verdict != identity.VerdictForbidden || v.Code != 400 || v.Message != "not allowed" {
			t.Errorf("storage classes %+v, want forbidden 400 not allowed", v)
		}
	})
	t.Run("all empty", func(t *testing.T) {
		s := newScenario(t)
		s.cluster.Namespaces = []string{}
		s.cluster.Answers = map[string]identity.ProxyAnswer{"/apis/capsule.clastix.io/v1beta2/tenants": empty}
		if o := s.run(t)[identity.IDTenantViews]; o.Status != engine.StatusFail || !strings.Contains(o.Message, "empty: namespaces, nodes, tenants") {
			t.Errorf("TENANT-VIEWS = %s %q, want a failure naming the empty lists", o.Status, o.Message)
		}
	})
	t.Run("version not found", func(t *testing.T) {
		s := newScenario(t)
		s.cluster.Answers = map[string]identity.ProxyAnswer{"/version": {Code: 404, Body: []byte("404 page not found")}}
		o := s.run(t)[identity.IDTenantViews]
		if o.Status != engine.StatusWarn || !strings.Contains(o.Message, "needs to start (version)") || !strings.Contains(o.Hint, "capsule-proxy must pass /version") {
			t.Errorf("TENANT-VIEWS = %s %q (hint %q), want a warning about /version", o.Status, o.Message, o.Hint)
		}
		if v := viewsOf(t, o)["version"]; v.Verdict != identity.VerdictFailed || v.Message != "404 page not found" {
			t.Errorf("version %+v, want failed with the answer", v)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		s := newScenario(t)
		s.cluster.Answers = map[string]identity.ProxyAnswer{}
		for _, p := range []string{"/api/v1/nodes", "/apis/storage.k8s.io/v1/storageclasses", "/apis/networking.k8s.io/v1/ingressclasses",
			"/apis/capsule.clastix.io/v1beta2/tenants", "/api/v1/namespaces/tenant-a-dev/pods"} {
			s.cluster.Answers[p] = identity.ProxyAnswer{Err: errors.New("connection reset")}
		}
		s.cluster.Namespaces = []string{"tenant-a-dev"}
		o := s.run(t)[identity.IDTenantViews]
		// The namespace list answered: the views say what they can, the rest is unknown.
		if o.Status != engine.StatusPass || viewsOf(t, o)["nodes"].Verdict != identity.VerdictUnknown {
			t.Errorf("TENANT-VIEWS = %s %q, want pass with nodes unknown", o.Status, o.Message)
		}
	})
}
