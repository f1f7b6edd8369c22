package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// tenantView is one row of TENANT-VIEWS' table in -o json.
type tenantView struct {
	View    string `json:"view"`
	Path    string `json:"path"`
	Code    int    `json:"statusCode"`
	Verdict string `json:"verdict"`
	Items   *int   `json:"items"`
	Message string `json:"message"`
}

// tenantViews reads TENANT-VIEWS' table, by view.
func tenantViews(t *testing.T, rep doctorReport) (doctorOutcome, map[string]tenantView) {
	t.Helper()
	o := rep.byID()["TENANT-VIEWS"]
	data, err := json.Marshal(o.Evidence["views"])
	var views []tenantView
	if err == nil {
		err = json.Unmarshal(data, &views)
	}
	if err != nil || len(views) == 0 {
		t.Fatalf("TENANT-VIEWS %s %q has no views table (%v): %v", o.Status, o.Message, err, o.Evidence)
	}
	out := map[string]tenantView{}
	for _, v := range views {
		out[v.View] = v
	}
	return o, out
}

// expectView checks one row of the table.
func expectView(t *testing.T, views map[string]tenantView, name string, code int, verdict string) tenantView {
	t.Helper()
	v, ok := views[name]
	if !ok || v.Code != code || v.Verdict != verdict {
		t.Errorf("view %q = %+v, want %d %s", name, v, code, verdict)
	}
	return v
}

// TestDoctorTenantViews: what a user will see in Headlamp, asked as the user through capsule-proxy.
// alice's tenant works, nodes list empty and the classes are not allowed, as capsule-proxy's modules
// answer a tenant granted nothing more: information, not failures. bob, in no tenant, may list
// nothing: that fails, beside the check that says why.
func TestDoctorTenantViews(t *testing.T) {
	installHeadlamp(t)
	t.Run("alice owns tenant-a", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), "--token-file", file)
		assertNoSecret(t, run, tok)
		o, views := tenantViews(t, rep)
		if o.Status != "pass" {
			t.Errorf("TENANT-VIEWS = %s %q, want pass", o.Status, o.Message)
		}
		for _, name := range []string{"version", "core API discovery", "API groups discovery"} {
			expectView(t, views, name, 200, "works")
		}
		ns := stack.TenantNamespaces[0]
		expectView(t, views, "rules in "+ns, 201, "works")
		if v := expectView(t, views, "namespaces", 200, "works"); v.Items == nil || *v.Items != len(stack.TenantNamespaces) {
			t.Errorf("namespaces list %+v, want tenant-a's %d", v, len(stack.TenantNamespaces))
		}
		if v := views["pods in "+ns]; v.Code != 200 || v.Path != "/api/v1/namespaces/"+ns+"/pods" {
			t.Errorf("pods in %s = %+v, want 200", ns, v)
		}
		expectView(t, views, "nodes", 200, "empty")
		for _, name := range []string{"storage classes", "ingress classes"} {
			if v := expectView(t, views, name, 400, "forbidden"); v.Message != "not allowed" {
				t.Errorf("%s message %q, want capsule-proxy's not allowed", name, v.Message)
			}
		}
		if v := expectView(t, views, "tenants", 200, "works"); v.Items == nil || *v.Items != 1 {
			t.Errorf("tenants %+v, want tenant-a alone", v)
		}
		// The sandbox runs no pod in tenant-a's namespaces: their list works, empty.
		mustContain(t, "TENANT-VIEWS", o.Message, "works: namespaces (2), tenants (1)", "nodes;", "forbidden: storage classes, ingress classes")
		text := runPlugin(t, nil, adminEnv(), "doctor", "--token-file", file)
		mustContain(t, "text output", text.Stdout, "TENANT-VIEWS", "VIEW", "VERDICT", "/api/v1/nodes", "forbidden: not allowed")
	})
	t.Run("bob is in no tenant", func(t *testing.T) {
		file, tok := userToken(t, stack.Bob.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), "--token-file", file)
		assertNoSecret(t, run, tok)
		expectExit(t, run, 1)
		expectOnly(t, rep, "TENANT-VIEWS", "fail", []string{"TENANT-USER-GROUP"}, `"`+stack.Bob.Email+`" would see nothing in Headlamp`,
			"forbidden: namespaces, nodes, storage classes, ingress classes, tenants", "spec.owners")
		_, views := tenantViews(t, rep)
		expectView(t, views, "version", 200, "works")
		for _, name := range []string{"namespaces", "nodes", "tenants"} {
			if v := expectView(t, views, name, 403, "forbidden"); !strings.Contains(v.Message, "forbidden") {
				t.Errorf("%s message %q, want the API server's refusal", name, v.Message)
			}
		}
		if v := views["pods in <namespace>"]; v.Verdict != "not asked" {
			t.Errorf("pods without a namespace %+v, want not asked", v)
		}
	})
}
