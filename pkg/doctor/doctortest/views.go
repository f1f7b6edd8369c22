package doctortest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// ProxyRequests answers as capsule-proxy in front of the sandbox does: what Headlamp needs to start
// works for anyone; a member of tenant-a-owners lists the pods of tenant-a's namespaces, the Tenants
// of Owners that name the user or a group of theirs, and no node, and may not list storage or ingress
// classes; anyone else may list nothing.
// Answers, keyed by path, replace those answers; ProxyErr is every answer's error when set.
func (c *Cluster) ProxyRequests(ctx context.Context, _ *identity.ProxyEndpoint, tok oidc.Secret, reqs []identity.ProxyRequest) []identity.ProxyAnswer {
	out := make([]identity.ProxyAnswer, len(reqs))
	r, err := c.Review(ctx, tok)
	for i, req := range reqs {
		path, _, _ := strings.Cut(req.Path, "?")
		a, ok := c.Answers[path]
		switch {
		case c.ProxyErr != nil:
			a = identity.ProxyAnswer{Err: c.ProxyErr}
		case ok:
		case err != nil:
			a = answer(http.StatusUnauthorized, `{"kind":"Status","status":"Failure","code":401,"message":"Unauthorized"}`)
		case strings.HasSuffix(path, "/tenants") && slices.Contains(r.Groups, "tenant-a-owners"):
			a = c.tenantsOf(r)
		default:
			a = tenantAnswer(path, slices.Contains(r.Groups, "tenant-a-owners"))
			if strings.Contains(req.Accept, "as=Table") {
				a = asTable(a)
			}
		}
		out[i] = a
	}
	return out
}

// tenantAnswer is the answer to path for a tenant-a owner, or for a user in no tenant.
func tenantAnswer(path string, owner bool) identity.ProxyAnswer {
	switch {
	case path == "/version":
		return answer(http.StatusOK, `{"gitVersion":"v1.37.2"}`)
	case path == "/api" || path == "/apis":
		return answer(http.StatusOK, `{}`)
	case strings.HasSuffix(path, "/selfsubjectrulesreviews"):
		return answer(http.StatusCreated, `{"kind":"SelfSubjectRulesReview"}`)
	case !owner, strings.HasSuffix(path, "classes"):
		return answer(http.StatusForbidden, `{"kind":"Status","status":"Failure","code":403,"reason":"Forbidden","message":"forbidden"}`)
	case path == "/api/v1/nodes":
		return answer(http.StatusOK, `{"items":[]}`)
	case strings.HasSuffix(path, "/pods"):
		return answer(http.StatusOK, `{"items":[{},{}]}`)
	}
	return answer(http.StatusOK, `{"items":[{}]}`)
}

// tenantsOf lists, as capsule-proxy does, the Tenants whose owners name the user or one of its groups.
func (c *Cluster) tenantsOf(r identity.Review) identity.ProxyAnswer {
	var items []string
	for _, name := range slices.Sorted(maps.Keys(c.Owners)) {
		if slices.ContainsFunc(c.Owners[name], func(s rbacv1.Subject) bool {
			return s.Kind == rbacv1.UserKind && s.Name == r.Username || s.Kind == rbacv1.GroupKind && slices.Contains(r.Groups, s.Name)
		}) {
			items = append(items, fmt.Sprintf(`{"metadata":{"name":%q}}`, name))
		}
	}
	return answer(http.StatusOK, `{"kind":"TenantList","items":[`+strings.Join(items, ",")+`]}`)
}

// asTable prints a list answer as the API server's Table without objects: a row per item, named.
func asTable(a identity.ProxyAnswer) identity.ProxyAnswer {
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	if a.Code != http.StatusOK || json.Unmarshal(a.Body, &list) != nil || list.Items == nil {
		return a
	}
	rows := make([]string, len(list.Items))
	for i, it := range list.Items {
		rows[i] = fmt.Sprintf(`{"cells":[%q],"object":null}`, cmp.Or(it.Metadata.Name, "name"))
	}
	return answer(http.StatusOK, `{"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":[{"name":"Name","format":"name"}],`+
		`"rows":[`+strings.Join(rows, ",")+`]}`)
}

func answer(code int, body string) identity.ProxyAnswer {
	return identity.ProxyAnswer{Code: code, Body: []byte(body)}
}
