package proxy

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestModules: a Capsule user's lists get the real modules' selectors for tenants granted nothing
// more; classes get "not allowed" under a 200; other paths and methods are forwarded as the user.
func TestModules(t *testing.T) {
	owned := []string{"tenant-a"}
	for path, want := range map[string]string{
		"/api/v1/namespaces":                       "capsule.clastix.io/tenant in (tenant-a)",
		"/api/v1/namespaces/":                      "capsule.clastix.io/tenant in (tenant-a)",
		"/apis/capsule.clastix.io/v1beta2/tenants": "kubernetes.io/metadata.name in (tenant-a)",
		"/api/v1/nodes":                            "dontexistsignoreme",
	} {
		m, ok := moduleFor(httptest.NewRequest(http.MethodGet, path, nil))
		if !ok || m.filter == nil || m.filter(owned) != want {
			t.Errorf("%s: module %v, want selector %q", path, ok, want)
		}
	}
	if m, _ := moduleFor(httptest.NewRequest(http.MethodGet, "/apis/capsule.clastix.io/v1beta2/tenants", nil)); m.filter(nil) != nothing {
		t.Errorf("a user owning no tenant gets %q, want nothing", m.filter(nil))
	}
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/api/v1/namespaces/tenant-a-dev/pods", nil),
		httptest.NewRequest(http.MethodPost, "/api/v1/namespaces", nil),
	} {
		if _, ok := moduleFor(r); ok {
			t.Errorf("%s %s has a module, want it forwarded", r.Method, r.URL.Path)
		}
	}
	rec := httptest.NewRecorder()
	(&Server{}).serveModule(rec, httptest.NewRequest(http.MethodGet, "/apis/storage.k8s.io/v1/storageclasses", nil),
		module{path: "/apis/storage.k8s.io/v1/storageclasses"}, owned)
	var st struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Details struct {
			Kind string `json:"kind"`
		} `json:"details"`
	}
	if err := json.NewDecoder(rec.Body).Decode(&st); err != nil || rec.Code != http.StatusOK || st.Code != 400 || st.Message != "not allowed" || st.Details.Kind != "storageclasses" {
		t.Errorf("storage classes: %d %+v %v, want 200 with a Status 400 not allowed", rec.Code, st, err)
	}
}
