package doctortest

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// headlampPod is the running, ready pod of the world's Headlamp Deployment.
func (w *World) headlampPod() *corev1.Pod {
	s := w.Settings
	started := metav1.NewTime(time.Now().Add(-time.Minute)) // after the proxy Secret was created
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: s.Name + "-7d9f-x1", Namespace: s.Namespace, Labels: headlamp.SelectorLabels(s)},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "headlamp",
			Ports: []corev1.ContainerPort{{Name: headlamp.PortName, ContainerPort: headlamp.ContainerPort}}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, StartTime: &started, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
	}
}

// headlampHandler answers as a healthy Headlamp does: /oidc redirects to the IdP with its client and
// scopes; /clusters/<name>/... answers for the bearer of the token as the guide's mapping makes it.
func (w *World) headlampHandler() http.Handler {
	s := w.Settings
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oidc", func(rw http.ResponseWriter, r *http.Request) {
		scopes, _ := headlamp.WireScopes(s.OIDC.Scopes)
		q := url.Values{"client_id": {s.OIDC.ClientID}, "redirect_uri": {"http://" + r.Host + "/oidc-callback"},
			"response_type": {"code"}, "scope": {strings.Join(scopes, " ")}, "state": {"x"}}
		http.Redirect(rw, r, w.IDP.Server.URL+"/dex/auth?"+q.Encode(), http.StatusFound)
	})
	base := "/clusters/" + s.InClusterContextName
	mux.HandleFunc("GET "+base+"/version", func(rw http.ResponseWriter, _ *http.Request) {
		writeJSON(rw, http.StatusOK, map[string]any{"gitVersion": "v1.37.2"})
	})
	mux.HandleFunc("POST "+base+"/apis/authentication.k8s.io/v1/selfsubjectreviews", func(rw http.ResponseWriter, r *http.Request) {
		p, err := oidc.ParseToken(oidc.NewSecret(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
		if err != nil {
			writeJSON(rw, http.StatusUnauthorized, map[string]any{"kind": "Status", "message": "Unauthorized"})
			return
		}
		id, _ := oidc.DefaultMapping(p.Claims.Issuer).Apply(p.Claims)
		writeJSON(rw, http.StatusCreated, map[string]any{"status": map[string]any{"userInfo": map[string]any{"username": id.Username, "groups": id.Groups}}})
	})
	mux.HandleFunc("GET "+base+"/api/v1/namespaces", func(rw http.ResponseWriter, _ *http.Request) {
		writeJSON(rw, http.StatusOK, map[string]any{"items": []any{
			map[string]any{"metadata": map[string]any{"name": "tenant-a-dev"}}, map[string]any{"metadata": map[string]any{"name": "tenant-a-prod"}}}})
	})
	return mux
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// serveOne answers one HTTP request on conn with h, then closes it.
func serveOne(conn net.Conn, h http.Handler) {
	defer func() { _ = conn.Close() }()
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Close = true
	_ = resp.Write(conn) // a client that went away needs no answer
}
