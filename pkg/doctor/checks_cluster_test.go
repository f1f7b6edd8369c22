package doctor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// hungAPIServer is a TLS server that accepts requests and never answers them until the test ends.
func hungAPIServer(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: Close waits for the handlers
	return srv
}

// TestClusterAPIFailsOnAHungAPIServer: an API server that never answers fails CLUSTER-API, naming its
// address, rather than leaving it unknown (which would pass the run).
func TestClusterAPIFailsOnAHungAPIServer(t *testing.T) {
	srv := hungAPIServer(t)
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Kube: cs, Server: srv.URL, Proxy: ProxyRef{Namespace: "capsule-system", Service: "capsule-proxy", Secret: "capsule-proxy"}}
	p, err := NewPlan(Catalogue(), AllFacts(env), []ID{"CLUSTER-API"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(t.Context(), p, RunOptions{CheckTimeout: time.Second})
	o := rep.Outcomes[0]
	if o.ID != "CLUSTER-API" || o.Status != StatusFail || !strings.Contains(o.Message, srv.URL) || o.Hint == "" {
		t.Errorf("%s: %s %q (hint %q)", o.ID, o.Status, o.Message, o.Hint)
	}
	t.Logf("%s: %s", o.Status, o.Message)
	if !rep.Failed(SeverityError) {
		t.Error("the run does not fail")
	}
}
