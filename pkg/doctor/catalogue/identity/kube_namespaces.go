package identity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// tableAccept asks for a list as a server-side Table, else (a server that prints no tables) as the
// plain list. kubectl get asks the same way.
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

// ProxyNamespaces lists namespaces through capsule-proxy as the token's bearer. It asks for a Table
// without objects (includeObject=None), as kubectl get does: a row of cells per namespace is a tenth
// of the bytes of its metadata (managed fields included), and at thousands of namespaces sending
// those bytes through capsule-proxy and a port-forward, and decoding them, was the list's cost.
// capsule-proxy only adds a label selector to the request (internal/modules/namespace/list.go), so
// the API server answers the Accept header as it would without the proxy. A refusal is returned as
// the API error it is, with the server's message.
func (k *KubeCluster) ProxyNamespaces(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret) ([]string, error) {
	cfg, hc, err := k.proxy.get(ep, tok)
	if err != nil {
		return nil, err
	}
	a := proxyDo(ctx, hc, cfg.Host, ProxyRequest{Method: http.MethodGet, Path: "/api/v1/namespaces?includeObject=None", Accept: tableAccept})
	switch {
	case a.Err != nil:
		return nil, a.Err
	case a.Code != http.StatusOK:
		return nil, apiError(a.Code, a.Body)
	}
	names, err := listedNames(a.Body)
	if err != nil {
		return nil, fmt.Errorf("read the namespace list: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// apiError is the error of a refused API request: the first Status of the body (capsule-proxy writes
// two back to back), else the status code with the body's message (statusMessage).
func apiError(code int, body []byte) error {
	var st metav1.Status
	if json.NewDecoder(bytes.NewReader(body)).Decode(&st) == nil && st.Kind == "Status" && st.Code != 0 {
		return &apierrors.StatusError{ErrStatus: st}
	}
	return apierrors.NewGenericServerResponse(code, "list", schema.GroupResource{Resource: "namespaces"}, "", statusMessage(string(body)), 0, false)
}

// listedNames reads the names of a Table's rows or of a list's items.
func listedNames(data []byte) ([]string, error) {
	var page listAnswer
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, err
	}
	return page.listed()
}

// listAnswer is a list answer: a Table's rows with its columns, or a plain list's items.
type listAnswer struct {
	Kind    string                         `json:"kind"`
	Columns []metav1.TableColumnDefinition `json:"columnDefinitions"`
	Rows    []struct {
		Cells []json.RawMessage `json:"cells"`
	} `json:"rows"`
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	} `json:"items"`
	Metadata struct {
		Continue string `json:"continue"`
	} `json:"metadata"`
}

// count is how many objects the answer holds.
func (p listAnswer) count() int {
	if p.Kind == "Table" {
		return len(p.Rows)
	}
	return len(p.Items)
}

// listed is the names of the objects: the cell of a Table's name column, or each item's name.
func (p listAnswer) listed() ([]string, error) {
	if p.Kind != "Table" {
		out := make([]string, len(p.Items))
		for i, it := range p.Items {
			out[i] = it.Metadata.Name
		}
		return out, nil
	}
	col := slices.IndexFunc(p.Columns, func(c metav1.TableColumnDefinition) bool { return c.Format == "name" })
	if col < 0 {
		return nil, errors.New("the table has no name column")
	}
	out := make([]string, len(p.Rows))
	for i, r := range p.Rows {
		if col >= len(r.Cells) {
			return nil, fmt.Errorf("row %d has %d cells, no name", i, len(r.Cells))
		}
		if err := json.Unmarshal(r.Cells[col], &out[i]); err != nil {
			return nil, fmt.Errorf("row %d: name: %w", i, err)
		}
	}
	return out, nil
}
