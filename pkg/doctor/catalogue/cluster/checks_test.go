package cluster

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// hungEnv is an Env whose API server accepts requests and never answers them until the test ends.
func hungEnv(t *testing.T) area.Env {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: Close waits for the handlers
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	return area.Env{Kube: cs, Server: srv.URL}
}

// TestClusterAPIFailsOnAHungAPIServer: an API server that never answers fails CLUSTER-API, naming its
// address, rather than leaving it unknown (which would pass the run).
func TestClusterAPIFailsOnAHungAPIServer(t *testing.T) {
	env := hungEnv(t)
	p, err := engine.NewPlan(Checks(), Facts(env), []engine.ID{IDAPI}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.Run(t.Context(), p, engine.RunOptions{CheckTimeout: time.Second})
	o := rep.Outcomes[0]
	if o.ID != IDAPI || o.Status != engine.StatusFail || !strings.Contains(o.Message, env.Server) || o.Hint == "" {
		t.Errorf("%s: %s %q (hint %q)", o.ID, o.Status, o.Message, o.Hint)
	}
	if !rep.Failed(engine.SeverityError) {
		t.Error("the run does not fail")
	}
}

// TestClusterAPICutByTheRun: when the run's --timeout (not the check's own) ends the version request,
// CLUSTER-API could not look; it did not find a silent API server.
func TestClusterAPICutByTheRun(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(engine.RunTimeout{After: time.Millisecond})
	_, err := serverVersion(ctx, hungEnv(t), time.Minute)
	r := checkAPI(ctx, engine.NewFacts(time.Now(), nil, map[engine.FactName]error{FactServerVersion.Name(): err}))
	if r.Status != engine.StatusUnknown || !strings.Contains(r.Message, "run's --timeout of 1ms expired") {
		t.Errorf("CLUSTER-API = %s %q, want unknown naming the run's --timeout", r.Status, r.Message)
	}
}

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
	p, err := engine.NewPlan(Checks(), Facts(area.Env{Kube: cs, Server: srv.URL}), []engine.ID{IDAPI}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := engine.Run(t.Context(), p, engine.RunOptions{}).Outcomes[0]
	if o.Status != engine.StatusFail || !strings.Contains(o.Message, "the API server at "+srv.URL+" rejected the credentials doctor was given") ||
		!strings.Contains(o.Hint, "pass valid ones") {
		t.Errorf("CLUSTER-API = %s %q (hint %q), want a failure saying the credentials were rejected", o.Status, o.Message, o.Hint)
	}
	if strings.Contains(o.Message, "garbage") || strings.Contains(o.Message, "context") {
		t.Errorf("CLUSTER-API repeats the token, or points at the context: %q", o.Message)
	}
}
