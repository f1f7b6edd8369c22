package doctor

import (
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// config is a run on the world's cluster, as the command would make it.
func config(e area.Env) Config {
	return Config{Kube: e.Kube, Dynamic: e.Dynamic, Dialer: e.Dialer, Server: e.Server, Namespace: e.Namespace,
		Headlamp: e.HeadlampName, Proxy: e.Proxy, AuthConfig: e.AuthConfig, CheckTimeout: 2 * time.Second}
}

// diagnose runs every check on w, with an AuthenticationConfiguration when authConfig is set, and
// returns the outcomes by ID.
func diagnose(t *testing.T, w *doctortest.World, authConfig []byte) map[engine.ID]engine.Outcome {
	t.Helper()
	c := config(w.Env(t))
	if authConfig != nil {
		c.AuthConfig = &area.AuthConfigFile{Path: "auth.yaml", Data: w.AuthConfig(authConfig)}
	}
	return byID(t, c)
}

// byID runs c and returns the outcomes by ID.
func byID(t *testing.T, c Config) map[engine.ID]engine.Outcome {
	t.Helper()
	r, err := Diagnose(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	out := map[engine.ID]engine.Outcome{}
	for _, o := range r.Outcomes {
		out[o.ID] = o
	}
	return out
}
