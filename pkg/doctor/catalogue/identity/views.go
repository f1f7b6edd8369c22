package identity

import (
	"fmt"
	"net/http"
	"strconv"
)

// The calls Headlamp's first pages make, asked as the user through capsule-proxy. From Headlamp's
// frontend (kubernetes-sigs/headlamp): the cluster overview lists pods and nodes
// (frontend/src/components/cluster/Overview.tsx), API discovery reads /api and /apis
// (frontend/src/lib/k8s/api/v2/apiDiscovery.tsx), the sidebar's lists include namespaces, storage
// classes (frontend/src/components/storage/ClassList.tsx) and ingress classes; GET /version answers
// through Headlamp (reference/real-components.md); Capsule's Headlamp plugin
// (projectcapsule/headlamp-plugin) lists Tenants. capsule-proxy filters the lists of namespaces, nodes, storage and ingress classes and
// tenants for a Capsule user and forwards the rest as the user (reference/capsule.md), so each may
// answer differently for each user. The SelfSubjectRulesReview is the one issue 13 names: the rules
// the user has in a tenant namespace, which capsule-proxy forwards with the caller's identity.
var (
	viewVersion        = viewCall{Name: "version", Verb: "get", Path: "/version"}
	viewCoreDiscovery  = viewCall{Name: "core API discovery", Verb: "get", Path: "/api"}
	viewGroupDiscovery = viewCall{Name: "API groups discovery", Verb: "get", Path: "/apis"}
	viewNamespaces     = viewCall{Name: "namespaces", Verb: "list", Path: "/api/v1/namespaces", Resource: true}
	viewNodes          = viewCall{Name: "nodes", Verb: "list", Path: "/api/v1/nodes", Resource: true}
	viewStorageClasses = viewCall{Name: "storage classes", Verb: "list", Path: "/apis/storage.k8s.io/v1/storageclasses", Resource: true}
	viewIngressClasses = viewCall{Name: "ingress classes", Verb: "list", Path: "/apis/networking.k8s.io/v1/ingressclasses", Resource: true}
	viewTenants        = viewCall{Name: "tenants", Verb: "list", Path: "/apis/capsule.clastix.io/v1beta2/tenants", Resource: true}
)

// startViews are what Headlamp asks to start; pageViews the cluster-wide lists of its first pages.
// Both are asked at once, needing nothing but the token; the namespace list is the TENANT-NAMESPACES
// fact's, and the namespaced views wait for it.
var (
	startViews = []viewCall{viewVersion, viewCoreDiscovery, viewGroupDiscovery}
	pageViews  = []viewCall{viewNodes, viewStorageClasses, viewIngressClasses, viewTenants}
)

// namespaceViews are asked in one namespace the user sees.
func namespaceViews(ns string) []viewCall {
	return []viewCall{
		{Name: "pods in " + ns, Verb: "list", Path: "/api/v1/namespaces/" + ns + "/pods", Resource: true},
		{Name: "rules in " + ns, Verb: "create", Path: "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
			Body: fmt.Sprintf(`{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":%q}}`, ns)},
	}
}

// viewCall is one request of a Headlamp page. Resource marks a list of objects the user looks at,
// as opposed to the requests Headlamp makes to work at all (version, discovery, reviews).
type viewCall struct {
	Name, Verb, Path, Body string
	Resource               bool
}

// request is the HTTP request of the call. A list asks for one page, enough to count, as a Table
// without objects (see tableAccept): capsule-proxy filters and the API server authorizes it as they do
// the JSON list Headlamp asks for, and the rows count the same objects without carrying them.
func (c viewCall) request() ProxyRequest {
	r := ProxyRequest{Method: http.MethodGet, Path: c.Path}
	if c.Body != "" {
		r.Method, r.Body = http.MethodPost, []byte(c.Body)
	}
	if c.Verb == "list" {
		r.Path += "?includeObject=None&limit=" + strconv.Itoa(listPage)
		r.Accept = tableAccept
	}
	return r
}

// listPage is how many objects a list asks for: doctor counts what a user sees, it does not read it all.
const listPage = 500
