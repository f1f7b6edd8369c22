package identity

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// BenchmarkProxyNamespaces is what doctor itself spends on TENANT-NAMESPACES' list at 2 and 2,000
// namespaces (a TLS server that answers at once): requesting, decoding and sorting, as the Table the
// API server prints and as the plain list a server without tables would send. The sandbox's
// BenchmarkDoctorScale measures the whole path. It reports the answer's size too: what capsule-proxy
// and the port-forward carry.
func BenchmarkProxyNamespaces(b *testing.B) {
	for _, n := range []int{2, 2000} {
		for _, format := range []string{"table", "list"} {
			b.Run(fmt.Sprintf("namespaces=%d/%s", n, format), func(b *testing.B) { benchProxyNamespaces(b, n, format) })
		}
	}
}

func benchProxyNamespaces(b *testing.B, n int, format string) {
	body := namespacePage(b, n, format)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "as=Table") {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ep := &ProxyEndpoint{Address: srv.Listener.Addr().String(), ServerName: "example.com", CAPEM: ca}
	k, tok := &KubeCluster{}, oidc.NewSecret("the-token")
	for b.Loop() {
		names, err := k.ProxyNamespaces(b.Context(), ep, tok)
		if err != nil || len(names) != n {
			b.Fatalf("%d namespaces, %v", len(names), err)
		}
	}
	b.ReportMetric(float64(len(body)), "answer-bytes")
}

// namespacePage is n namespaces in tenants of ten, in reverse order so that sorting has work to do:
// the Table the API server prints without objects, or the list with the metadata Capsule's namespaces
// carry.
func namespacePage(b *testing.B, n int, format string) []byte {
	b.Helper()
	table := metav1.Table{TypeMeta: metav1.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "Table"},
		ColumnDefinitions: []metav1.TableColumnDefinition{{Name: "Name", Type: "string", Format: "name"},
			{Name: "Status", Type: "string"}, {Name: "Age", Type: "string"}}}
	var items []metav1.PartialObjectMetadata
	for i := n - 1; i >= 0; i-- {
		tenant := fmt.Sprintf("bench-%03d", i/10)
		name := fmt.Sprintf("%s-%d", tenant, i%10)
		table.Rows = append(table.Rows, metav1.TableRow{Cells: []any{name, "Active", "5m"}, Object: runtime.RawExtension{}})
		items = append(items, metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{
			Name: name, UID: "6c3f5a8e-0000-4000-8000-000000000000", ResourceVersion: "12345",
			Labels: map[string]string{"capsule.clastix.io/tenant": tenant, "kubernetes.io/metadata.name": name},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "capsule.clastix.io/v1beta2", Kind: "Tenant", Name: tenant,
				UID: "0b7c2a1d-0000-4000-8000-000000000000"}},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "capsule", Operation: metav1.ManagedFieldsOperationUpdate,
				APIVersion: "v1", FieldsType: "FieldsV1", FieldsV1: metav1.NewFieldsV1(`{"f:metadata":{"f:labels":{".":{}}}}`)}},
		}})
	}
	var page any = table
	if format == "list" {
		page = map[string]any{"kind": "NamespaceList", "apiVersion": "v1", "items": items}
	}
	data, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkTenantOwners is what doctor spends, when capsule-proxy lists the user no tenant, on
// TENANT-OWNED's list of every Tenant at 200 tenants of ten namespaces each, shaped as Capsule 0.14
// leaves them (status listing each namespace with its conditions, owners with their cluster roles,
// managed fields): about 1 MB, as the sandbox's list.
func BenchmarkTenantOwners(b *testing.B) {
	var items []map[string]any
	for i := range 200 {
		items = append(items, benchTenant(fmt.Sprintf("bench-%03d", i), 10))
	}
	body, err := json.Marshal(map[string]any{"apiVersion": "capsule.clastix.io/v1beta2", "kind": "TenantList", "items": items})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	k := &KubeCluster{Base: &rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{
		CAData: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})}}}
	for b.Loop() {
		owners, err := k.TenantOwners(b.Context())
		if err != nil || len(owners) != 200 {
			b.Fatalf("%d tenants, %v", len(owners), err)
		}
	}
	b.ReportMetric(float64(len(body)), "answer-bytes")
}

// benchTenant is a Tenant of n namespaces as Capsule 0.14 writes it back.
func benchTenant(name string, n int) map[string]any {
	conditions := []any{
		map[string]any{"lastTransitionTime": "2026-12-07T03:13:49Z", "message": "reconciled", "reason": "Succeeded", "status": "True", "type": "Ready"},
		map[string]any{"lastTransitionTime": "2026-12-07T03:13:49Z", "message": "not cordoned", "reason": "Active", "status": "False", "type": "Cordoned"},
	}
	var namespaces, spaces []any
	for j := range n {
		ns := fmt.Sprintf("%s-ns%02d", name, j)
		namespaces = append(namespaces, ns)
		spaces = append(spaces, map[string]any{"name": ns, "uid": "b12446c7-5043-437a-b691-c7b3258aeea1", "metadata": map[string]any{}, "conditions": conditions})
	}
	fields := func(manager, sub string, f map[string]any) map[string]any {
		return map[string]any{"apiVersion": "capsule.clastix.io/v1beta2", "fieldsType": "FieldsV1", "fieldsV1": f,
			"manager": manager, "operation": "Update", "subresource": sub, "time": "2026-12-07T03:13:56Z"}
	}
	owner := map[string]any{"kind": "Group", "name": "tenant-owners"}
	return map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta2", "kind": "Tenant",
		"metadata": map[string]any{"name": name, "uid": "0b7c2a1d-0000-4000-8000-000000000000", "generation": 1,
			"labels": map[string]any{"kubernetes.io/metadata.name": name}, "managedFields": []any{
				fields("kubectl-create", "", map[string]any{"f:spec": map[string]any{".": map[string]any{}, "f:owners": map[string]any{}}}),
				fields("capsule", "", map[string]any{"f:metadata": map[string]any{"f:labels": map[string]any{".": map[string]any{}, "f:kubernetes.io/metadata.name": map[string]any{}}}}),
				fields("capsule", "status", map[string]any{"f:status": map[string]any{".": map[string]any{}, "f:conditions": map[string]any{},
					"f:namespaces": map[string]any{}, "f:owners": map[string]any{}, "f:size": map[string]any{}, "f:spaces": map[string]any{}, "f:state": map[string]any{}}}),
			}},
		"spec": map[string]any{"owners": []any{owner}, "cordoned": false, "preventDeletion": false},
		"status": map[string]any{"namespaces": namespaces, "size": n, "state": "Active", "observedGeneration": 1, "conditions": conditions,
			"classes": map[string]any{"priority": []any{"system-cluster-critical", "system-node-critical"}},
			"owners":  []any{map[string]any{"kind": "Group", "name": "tenant-owners", "clusterRoles": []any{"admin", "capsule-namespace-deleter"}}},
			"spaces":  spaces},
	}
}
