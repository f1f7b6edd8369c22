package identity

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// BenchmarkProxyNamespaces is what doctor itself spends on TENANT-NAMESPACES' list at 2 and 2,000
// namespaces (a TLS server that answers at once, with the metadata Capsule's namespaces carry):
// requesting, decoding and sorting, in protobuf as the API server answers the metadata client, and in
// JSON as a server without protobuf would. The sandbox's BenchmarkDoctorScale measures the whole path.
func BenchmarkProxyNamespaces(b *testing.B) {
	for _, n := range []int{2, 2000} {
		for _, format := range []string{"protobuf", "json"} {
			b.Run(fmt.Sprintf("namespaces=%d/%s", n, format), func(b *testing.B) { benchProxyNamespaces(b, n, format) })
		}
	}
}

func benchProxyNamespaces(b *testing.B, n int, format string) {
	body, contentType := namespaceListBody(b, n, format)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "as=PartialObjectMetadataList") {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ep := &ProxyEndpoint{Address: srv.Listener.Addr().String(), ServerName: "example.com", CAPEM: ca}
	k, tok := &KubeCluster{}, oidc.NewSecret("the-token")
	b.ResetTimer()
	for range b.N {
		names, err := k.ProxyNamespaces(b.Context(), ep, tok)
		if err != nil || len(names) != n {
			b.Fatalf("%d namespaces, %v", len(names), err)
		}
	}
}

// namespaceListBody is a PartialObjectMetadataList of n namespaces in tenants of ten, in reverse
// order so that sorting has work to do, encoded as format, with its content type.
func namespaceListBody(b *testing.B, n int, format string) ([]byte, string) {
	b.Helper()
	list := metav1.PartialObjectMetadataList{TypeMeta: metav1.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "PartialObjectMetadataList"}}
	for i := n - 1; i >= 0; i-- {
		tenant := fmt.Sprintf("bench-%03d", i/10)
		name := fmt.Sprintf("%s-%d", tenant, i%10)
		list.Items = append(list.Items, metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{
			Name: name, UID: "6c3f5a8e-0000-4000-8000-000000000000", ResourceVersion: "12345",
			Labels: map[string]string{"capsule.clastix.io/tenant": tenant, "kubernetes.io/metadata.name": name},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "capsule.clastix.io/v1beta2", Kind: "Tenant", Name: tenant,
				UID: "0b7c2a1d-0000-4000-8000-000000000000"}},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "capsule", Operation: metav1.ManagedFieldsOperationUpdate,
				APIVersion: "v1", FieldsType: "FieldsV1", FieldsV1: metav1.NewFieldsV1(`{"f:metadata":{"f:labels":{".":{}}}}`)}},
		}})
	}
	if format == "json" {
		data, err := json.Marshal(list)
		if err != nil {
			b.Fatal(err)
		}
		return data, "application/json"
	}
	scheme := runtime.NewScheme()
	if err := metav1.AddMetaToScheme(scheme); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := protobuf.NewSerializer(scheme, scheme).Encode(&list, &buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), "application/vnd.kubernetes.protobuf"
}
