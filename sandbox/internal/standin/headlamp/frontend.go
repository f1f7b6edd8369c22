package headlamp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

type clusterJSON struct {
	Name     string `json:"name"`
	Server   string `json:"server"`
	AuthType string `json:"auth_type"`
}

// config answers GET /config: the in-cluster cluster, auth_type oidc when in-cluster OIDC is on.
func (s *Server) config(w http.ResponseWriter, _ *http.Request) {
	var clusters []clusterJSON
	if s.settings.InCluster() {
		c := clusterJSON{Name: s.settings.Cluster(), Server: s.apiURL}
		if s.settings.OIDC() {
			c.AuthType = "oidc"
		}
		clusters = append(clusters, c)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"clusters": clusters, "isDynamicClusterEnabled": false})
}

// frontend stands in for Headlamp's web UI (/ and the /auth page the callback redirects to). Like the
// real UI after a sign-in, the page asks the cluster who the user is through the backend, with the
// session cookie, and shows the answer.
func (s *Server) frontend(w http.ResponseWriter, _ *http.Request) {
	base := trimSlash(s.settings.Get("base-url", ""))
	review := base + "/clusters/" + s.settings.Cluster() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>Headlamp</title><p id="status">Headlamp (sandbox stand-in)</p>
<script>
fetch(%s, {method: "POST", headers: {"Content-Type": "application/json"},
  body: JSON.stringify({apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview"})})
  .then(r => r.ok ? r.json() : Promise.reject(r.status))
  .then(r => { document.getElementById("status").textContent = "Signed in as " + r.status.userInfo.username; })
  .catch(e => { document.getElementById("status").textContent = "Not signed in (" + e + ")"; });
</script>
`, jsString(review))
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// jsString quotes s for a script: JSON escaping, plus "<" so that it cannot close the script element.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return strings.ReplaceAll(string(b), "<", `\u003c`)
}
