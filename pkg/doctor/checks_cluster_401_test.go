package doctor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// TestClusterAPISaysTheCredentialsWereRejected: a 401 on /version (a garbage --token) is no problem of
// the context: CLUSTER-API says the API server rejected the credentials doctor was given.
func TestClusterAPISaysTheCredentialsWereRejected(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`))
	}))
	t.Cleanup(srv.Close)
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL, BearerToken: "garbage"})
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Kube: cs, Server: srv.URL, Proxy: ProxyRef{Namespace: "capsule-system", Service: "capsule-proxy", Secret: "capsule-proxy"}}
	rep := Run(t.Context(), mustPlan(t, Catalogue(), AllFacts(env), []ID{"CLUSTER-API"}, nil), RunOptions{})
	o := rep.Outcomes[0]
	if o.Status != StatusFail || !strings.Contains(o.Message, "the API server at "+srv.URL+" rejected the credentials doctor was given") ||
		!strings.Contains(o.Hint, "pass valid ones") {
		t.Errorf("CLUSTER-API = %s %q (hint %q), want a failure saying the credentials were rejected", o.Status, o.Message, o.Hint)
	}
	if strings.Contains(o.Message, "garbage") || strings.Contains(o.Message, "context") {
		t.Errorf("CLUSTER-API repeats the token, or points at the context: %q", o.Message)
	}
}
