package doctor

import (
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// hungConfig is a run on an API server that accepts requests and never answers.
func hungConfig(t *testing.T) Config {
	t.Helper()
	srv := doctortest.HungAPIServer(t)
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	return Config{Kube: cs, Server: srv.URL, Proxy: area.ProxyRef{Namespace: "capsule-system", Service: "capsule-proxy", Secret: "capsule-proxy"}}
}

// TestRunCutShortIsConsistent: a run whose --timeout has expired before anything answered gives the
// same verdict every time: CLUSTER-API unknown (not failed), TOKEN-OBTAINED skipped for want of a
// token source, and a run that does not fail.
func TestRunCutShortIsConsistent(t *testing.T) {
	c := hungConfig(t)
	c.Only, c.Timeout, c.CheckTimeout = []engine.ID{cluster.IDAPI, identity.IDTokenObtained}, time.Nanosecond, time.Minute
	for i := range 20 {
		rep, err := Diagnose(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range rep.Outcomes {
			switch {
			case o.ID == cluster.IDAPI && (o.Status != engine.StatusUnknown || !strings.Contains(o.Message, "--timeout of 1ns expired")):
				t.Errorf("run %d: CLUSTER-API = %s %q, want unknown: the run's --timeout expired", i, o.Status, o.Message)
			case o.ID == identity.IDTokenObtained && (o.Status != engine.StatusSkip || o.Missing == ""):
				t.Errorf("run %d: TOKEN-OBTAINED = %s %q, want skip: no token source", i, o.Status, o.Message)
			}
		}
		if rep.Failed(engine.SeverityError) {
			t.Fatalf("run %d fails", i)
		}
	}
}

// TestARunCutShortIsBlind: a --timeout too short to reach anything leaves a blind report.
func TestARunCutShortIsBlind(t *testing.T) {
	c := hungConfig(t)
	c.Only, c.Timeout, c.CheckTimeout = []engine.ID{cluster.IDAPI, identity.IDTokenObtained}, time.Nanosecond, time.Minute
	rep, err := Diagnose(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Blind() {
		t.Errorf("a run cut short after 1ns is not blind: %+v", rep.Outcomes)
	}
}
