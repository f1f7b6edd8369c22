package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// hungEnv is an Env whose API server accepts requests and never answers.
func hungEnv(t *testing.T) Env {
	t.Helper()
	srv := hungAPIServer(t)
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	return Env{Kube: cs, Server: srv.URL, Proxy: ProxyRef{Namespace: "capsule-system", Service: "capsule-proxy", Secret: "capsule-proxy"}}
}

// TestClusterAPICutByTheRun: when the run's --timeout (not the check's own) ends the version request,
// CLUSTER-API could not look; it did not find a silent API server.
func TestClusterAPICutByTheRun(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(engine.RunTimeout{After: time.Millisecond})
	_, err := serverVersion(ctx, hungEnv(t), time.Minute)
	r := checkAPI(ctx, NewFacts(time.Now(), nil, map[FactName]error{factServerVersion.Name(): err}))
	if r.Status != StatusUnknown || !strings.Contains(r.Message, "run's --timeout of 1ms expired") {
		t.Errorf("CLUSTER-API = %s %q, want unknown naming the run's --timeout", r.Status, r.Message)
	}
}

// TestRunCutShortIsConsistent: a run whose --timeout has expired before anything answered gives the
// same verdict every time: CLUSTER-API unknown (not failed), TOKEN-OBTAINED skipped for want of a
// token source, and a run that does not fail.
func TestRunCutShortIsConsistent(t *testing.T) {
	env := hungEnv(t)
	p, err := NewPlan(Catalogue(), AllFacts(env), []ID{"CLUSTER-API", IDTokenObtained}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		rep := Run(t.Context(), p, RunOptions{Timeout: time.Nanosecond, CheckTimeout: time.Minute})
		for _, o := range rep.Outcomes {
			switch {
			case o.ID == "CLUSTER-API" && (o.Status != StatusUnknown || !strings.Contains(o.Message, "--timeout of 1ns expired")):
				t.Errorf("run %d: CLUSTER-API = %s %q, want unknown: the run's --timeout expired", i, o.Status, o.Message)
			case o.ID == IDTokenObtained && (o.Status != StatusSkip || o.Missing == ""):
				t.Errorf("run %d: TOKEN-OBTAINED = %s %q, want skip: no token source", i, o.Status, o.Message)
			}
		}
		if rep.Failed(SeverityError) {
			t.Fatalf("run %d fails", i)
		}
	}
}
