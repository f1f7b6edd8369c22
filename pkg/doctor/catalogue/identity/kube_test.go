package identity

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

func TestKubeClusterReviewSendsOnlyTheToken(t *testing.T) {
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
	k := &KubeCluster{Base: &rest.Config{Host: srv.URL, Username: "admin", Password: "admin-password"}}
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

// TenantOwners reads each Tenant's status.owners from the list as the API server sends it, spec.owners
// while the status lists none, and a refusal still reads as one.
func TestKubeClusterTenantOwners(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/apis/capsule.clastix.io/v1beta2/tenants" || r.Header.Get("Authorization") != "Bearer admin-token" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,` +
				`"details":{"group":"capsule.clastix.io","kind":"tenants"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"apiVersion":"capsule.clastix.io/v1beta2","kind":"TenantList","metadata":{},"items":[` +
			`{"metadata":{"name":"tenant-a","labels":{"a":"b"}},"spec":{"owners":[{"kind":"Group","name":"tenant-a-owners"},{"kind":"User"}]},` +
			`"status":{"namespaces":["tenant-a-dev"],"size":1}},` +
			`{"metadata":{"name":"tenant-b"},"spec":{"owners":[{"kind":"User","name":"bob"}]},` +
			`"status":{"owners":[{"kind":"User","name":"bob","clusterRoles":["admin"]},{"kind":"Group","name":"from-a-tenant-owner"}]}},` +
			`{"metadata":{"name":"orphan"},"spec":{}}]}`))
	}))
	defer srv.Close()
	cfg := &rest.Config{Host: srv.URL, BearerToken: "admin-token", TLSClientConfig: rest.TLSClientConfig{
		CAData: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})}}
	owners, err := (&KubeCluster{Base: cfg}).TenantOwners(t.Context())
	if err != nil || len(owners) != 3 || len(owners["orphan"]) != 0 ||
		!slices.Equal(owners["tenant-a"], []rbacv1.Subject{{Kind: "Group", Name: "tenant-a-owners"}}) ||
		!slices.Equal(owners["tenant-b"], []rbacv1.Subject{{Kind: "User", Name: "bob"}, {Kind: "Group", Name: "from-a-tenant-owner"}}) {
		t.Errorf("owners = %v %v; want tenant-a's spec group (the owner without a name left out), tenant-b's status owners "+
			"and orphan's none", owners, err)
	}
	cfg.BearerToken = "another"
	if _, err := (&KubeCluster{Base: cfg}).TenantOwners(t.Context()); !apierrors.IsForbidden(err) {
		t.Errorf("refused list: %v, want forbidden", err)
	}
}

// capsule-proxy answers a token it cannot authenticate with 403 and two Status objects back to back.
func TestKubeClusterProxyReviewReadsTheProxysRefusal(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"cannot authenticate the token due to error: ` +
			`[invalid bearer token, oidc: expected audience \"kubernetes\" got [\"headlamp\"]]","reason":"Forbidden","code":403}` +
			`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`))
	}))
	defer srv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ep := &ProxyEndpoint{Address: srv.Listener.Addr().String(), ServerName: "example.com", CAPEM: ca}
	_, err := (&KubeCluster{}).ProxyReview(t.Context(), ep, oidc.NewSecret("the-token"))
	if !tokenRejectedByProxy(err) || !strings.Contains(err.Error(), `expected audience "kubernetes"`) {
		t.Errorf("review through a proxy that rejects the token: %v, want a rejected token with the proxy's reason", err)
	}
}

// The namespace list through capsule-proxy asks for a Table without objects and reads its name
// column; a server that prints no tables answers the list; a refusal still reads as one.
func TestKubeClusterProxyNamespacesAsksForATable(t *testing.T) {
	const table = `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{},"columnDefinitions":[` +
		`{"name":"Status","type":"string","format":""},{"name":"Name","type":"string","format":"name"}],` +
		`"rows":[{"cells":["Active","tenant-a-prod"],"object":null},{"cells":["Active","tenant-a-dev"],"object":null}]}`
	const list = `{"kind":"NamespaceList","apiVersion":"v1","metadata":{},"items":[` +
		`{"metadata":{"name":"tenant-a-prod"}},{"metadata":{"name":"tenant-a-dev"}}]}`
	for _, tc := range []struct{ name, body, want string }{
		{"a table", table, "tenant-a-dev,tenant-a-prod"},
		{"a list", list, "tenant-a-dev,tenant-a-prod"},
		{"a table without a name column", `{"kind":"Table","columnDefinitions":[{"name":"Status"}],"rows":[{"cells":["Active"]}]}`, ""},
		{"a row without its name", `{"kind":"Table","columnDefinitions":[{"name":"Name","format":"name"}],"rows":[{"cells":[]}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var accept, include string
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				accept, include = r.Header.Get("Accept"), r.URL.Query().Get("includeObject")
				w.Header().Set("Content-Type", "application/json")
				switch r.Header.Get("Authorization") {
				case "Bearer the-token":
				case "Bearer text":
					w.WriteHeader(http.StatusBadGateway)
					_, _ = w.Write([]byte("upstream unreachable\nmore"))
					return
				default: // as the API server answers a Table request it refuses: a Status, two with capsule-proxy
					w.Header().Set("Content-Type", "application/json;as=Table;v=v1;g=meta.k8s.io")
					w.WriteHeader(http.StatusForbidden)
					_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,` +
						`"message":"namespaces is forbidden: User \"bob\" cannot list"}{"kind":"Status"}`))
					return
				}
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
			ep := &ProxyEndpoint{Address: srv.Listener.Addr().String(), ServerName: "example.com", CAPEM: ca}
			names, err := (&KubeCluster{}).ProxyNamespaces(t.Context(), ep, oidc.NewSecret("the-token"))
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), "read the namespace list") {
					t.Errorf("namespaces = %v, %v; want an error reading the list", names, err)
				}
				return
			}
			if err != nil || strings.Join(names, ",") != tc.want {
				t.Errorf("namespaces = %v, %v; want %s", names, err, tc.want)
			}
			if !strings.HasPrefix(accept, "application/json;as=Table;v=v1;g=meta.k8s.io,") || include != "None" {
				t.Errorf("Accept %q, includeObject %q; want a Table first, without objects", accept, include)
			}
			if _, err := (&KubeCluster{}).ProxyNamespaces(t.Context(), ep, oidc.NewSecret("another")); !apierrors.IsForbidden(err) ||
				err.Error() != `namespaces is forbidden: User "bob" cannot list` {
				t.Errorf("refused list: %v, want forbidden with the server's message", err)
			}
			if _, err := (&KubeCluster{}).ProxyNamespaces(t.Context(), ep, oidc.NewSecret("text")); err == nil ||
				!strings.Contains(err.Error(), "upstream unreachable") || strings.Contains(err.Error(), "more") {
				t.Errorf("text answer: %v, want its first line", err)
			}
		})
	}
}
