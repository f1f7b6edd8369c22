package proxy

import (
	"context"
	"net/http"
	"net/http/httputil"
	"sort"
	"strings"

	authv1 "k8s.io/api/authentication/v1"
)

type userKey struct{}

func withUser(ctx context.Context, u authv1.UserInfo) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// filteredKey marks a namespace list the proxy itself answers with its own credential.
type filteredKey struct{}

// rewrite sends the request to the API server with the proxy's credential. The caller's token never
// leaves the proxy: the reviewed identity is impersonated instead, unless the proxy makes a filtered
// list on its own behalf.
func (s *Server) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(s.api)
	pr.Out.Host = s.api.Host
	pr.Out.Header.Del("Authorization")
	for k := range pr.Out.Header {
		if strings.HasPrefix(strings.ToLower(k), "impersonate-") {
			pr.Out.Header.Del(k)
		}
	}
	if pr.In.Context().Value(filteredKey{}) != nil {
		return
	}
	u, _ := pr.In.Context().Value(userKey{}).(authv1.UserInfo)
	pr.Out.Header.Set("Impersonate-User", u.Username)
	for _, g := range u.Groups {
		pr.Out.Header.Add("Impersonate-Group", g)
	}
	if u.UID != "" {
		pr.Out.Header.Set("Impersonate-Uid", u.UID)
	}
}

// forwardFiltered lists with the proxy's own credential, restricted by the label selector sel, like
// the real proxy's modules do for Capsule users.
func (s *Server) forwardFiltered(w http.ResponseWriter, r *http.Request, sel string) {
	q := r.URL.Query()
	if prev := q.Get("labelSelector"); prev != "" {
		sel = prev + "," + sel
	}
	q.Set("labelSelector", sel)
	r = r.Clone(context.WithValue(r.Context(), filteredKey{}, true))
	r.URL.RawQuery = q.Encode()
	s.rp.ServeHTTP(w, r)
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
