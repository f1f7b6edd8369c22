package proxy

import (
	"encoding/json"
	"net/http"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A Capsule user's list of one of the kinds below is answered by a module of capsule-proxy, never
// forwarded as the user (capsule-proxy internal/webserver/webserver.go, registerModules). The real
// modules read grants the sandbox never sets (ProxySettings and the owners' proxy operations, a
// Tenant's node selector and allowed classes); without them (internal/modules/*/list.go):
//   - namespaces: the user's tenants' namespaces, by label selector;
//   - tenants: the user's tenants, by the label kubernetes.io/metadata.name;
//   - nodes: a selector nothing matches, so an empty list;
//   - storage and ingress classes: the module's error "not allowed" (errors/not_allowed.go, a Status
//     with code 400), which the handler writes before it panics: the status line stays 200.
type module struct {
	path   string
	filter func(tenants []string) string // the label selector, or "" for a refusal
}

var modules = []module{
	{"/api/v1/namespaces", func(ts []string) string { return in("capsule.clastix.io/tenant", ts) }},
	{"/apis/capsule.clastix.io/v1beta2/tenants", func(ts []string) string { return in("kubernetes.io/metadata.name", ts) }},
	{"/api/v1/nodes", func([]string) string { return nothing }},
	{"/apis/storage.k8s.io/v1/storageclasses", nil},
	{"/apis/networking.k8s.io/v1/ingressclasses", nil},
}

// nothing is the real modules' selector that matches no object.
const nothing = "dontexistsignoreme"

func in(label string, values []string) string {
	if len(values) == 0 {
		return nothing
	}
	return label + " in (" + strings.Join(values, ",") + ")"
}

// moduleFor is the module answering a GET of path, if any.
func moduleFor(r *http.Request) (module, bool) {
	if r.Method != http.MethodGet {
		return module{}, false
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	for _, m := range modules {
		if m.path == path {
			return m, true
		}
	}
	return module{}, false
}

// serveModule answers a Capsule user's list as m does, for the user's tenants.
func (s *Server) serveModule(w http.ResponseWriter, r *http.Request, m module, tenants []string) {
	if m.filter == nil {
		writeNotAllowed(w, strings.TrimPrefix(m.path[strings.LastIndex(m.path, "/"):], "/"))
		return
	}
	s.forwardFiltered(w, r, m.filter(tenants))
}

// writeNotAllowed writes a module's "not allowed" as capsule-proxy does: the Status (code 400) with no
// status line of its own, so 200.
func writeNotAllowed(w http.ResponseWriter, kind string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: "not allowed", Reason: metav1.StatusReasonBadRequest,
		Code: http.StatusBadRequest, Details: &metav1.StatusDetails{Kind: kind},
	})
}
