package authn

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

const testIssuer = "https://dex.example.com/dex"

// exposition writes /metrics lines as kube-apiserver v1.37 does for the API server with identity id.
type exposition struct{ id string }

func (e exposition) fetch(result string, at int64) string {
	return fmt.Sprintf("apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds{apiserver_id_hash=%q,jwt_issuer_hash=%q,result=%q} %d\n",
		HashOf(e.id), HashOf(testIssuer), result, at)
}

func (e exposition) keySet(body string) string {
	return fmt.Sprintf("apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info{apiserver_id_hash=%q,hash=%q,jwt_issuer_hash=%q} 1\n",
		HashOf(e.id), HashOf(body), HashOf(testIssuer))
}

func (e exposition) config(data string) string {
	return fmt.Sprintf("apiserver_authentication_config_controller_last_config_info{apiserver_id_hash=%q,hash=%q} 1\n", HashOf(e.id), HashOf(data))
}

func (e exposition) reload(status string, at int64) string {
	return fmt.Sprintf("apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds{apiserver_id_hash=%q,status=%q} %d\n",
		HashOf(e.id), status, at)
}

var (
	cp1 = exposition{"apiserver-cp1"}
	cp2 = exposition{"apiserver-cp2"}
)

// metricsFacts are the facts of one run: /metrics as text, the identity Leases of cp1 and cp2, and
// the file given with --authentication-config (nil: none).
func metricsFacts(t *testing.T, text string, file *authconfig.Config) engine.Facts {
	t.Helper()
	states, err := parseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	m := Metrics{Server: "https://lb.example.com:6443", APIServers: states, Known: []Identity{
		{Lease: "apiserver-cp1", Host: "cp1", IDHash: HashOf("apiserver-cp1")},
		{Lease: "apiserver-cp2", Host: "cp2", IDHash: HashOf("apiserver-cp2")},
	}}
	return engine.NewFacts(time.Now(), map[engine.FactName]any{
		FactMetrics.Name():           m,
		headlampview.FactView.Name(): headlampview.View{OIDC: headlampview.OIDC{IssuerURL: testIssuer}},
		authconfig.Fact.Name():       file,
	}, nil)
}

func TestParseMetricsPerAPIServer(t *testing.T) {
	states, err := parseMetrics(strings.NewReader(cp1.fetch("success", 100) + cp1.fetch("failure", 200) + cp1.keySet("{}") +
		cp2.config("a") + cp2.reload("success", 50) + "process_start_time_seconds 1.7e+09\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 {
		t.Fatalf("%d API servers, want 2: %+v", len(states), states)
	}
	byID := map[string]APIServerState{}
	for _, s := range states {
		byID[s.IDHash] = s
	}
	is := byID[HashOf("apiserver-cp1")].Issuers[HashOf(testIssuer)]
	if is.LastSuccess.Unix() != 100 || is.LastFailure.Unix() != 200 || !is.LastFetchFailed() || is.KeySetHash != HashOf("{}") {
		t.Errorf("cp1's issuer = %+v", is)
	}
	if c := byID[HashOf("apiserver-cp2")].Config; c.Hash != HashOf("a") || c.LastReloadOK.Unix() != 50 || c.ReloadRejected() {
		t.Errorf("cp2's config = %+v", c)
	}
}

func TestConfigLoaded(t *testing.T) {
	file := &authconfig.Config{Path: "auth.yaml", Hash: HashOf("new")}
	cases := []struct {
		name    string
		metrics string
		file    *authconfig.Config
		want    engine.Status
		says    []string
	}{
		{"runs the file", cp1.config("new"), file, engine.StatusPass, []string{"cp1 runs " + HashOf("new"), "auth.yaml"}},
		{"not reloaded yet", cp1.config("old"), file, engine.StatusFail, []string{"cp1 runs another configuration", "not reloaded the file yet"}},
		{"refused the file", cp1.config("old") + cp1.reload("success", 10) + cp1.reload("failure", 20), file, engine.StatusFail,
			[]string{"cp1 refused auth.yaml at its last reload (1970-01-01T00:00:20Z)", HashOf("old")}},
		{"a failed reload, no file given", cp2.config("old") + cp2.reload("failure", 20), nil, engine.StatusPass,
			[]string{"cp2 runs " + HashOf("old"), "its last reload failed at 1970-01-01T00:00:20Z: give --authentication-config"}},
		{"a transient failure before the same file", cp1.config("new") + cp1.reload("failure", 20), file, engine.StatusPass, []string{"cp1 runs"}},
		{"no file given", cp1.config("old"), nil, engine.StatusPass, []string{"cp1 runs " + HashOf("old")}},
		{"no structured authentication", cp1.fetch("success", 1), file, engine.StatusSkip, []string{"without --authentication-config"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkConfigLoaded(t.Context(), metricsFacts(t, tc.metrics, tc.file))
			expectResult(t, r, tc.want, tc.says...)
		})
	}
}

func TestJWKSFetch(t *testing.T) {
	cases := []struct {
		name, metrics string
		want          engine.Status
		says          []string
	}{
		{"fetched", cp1.fetch("success", 100), engine.StatusPass, []string{"cp1 fetched them at 1970-01-01T00:01:40Z"}},
		{"an old failure", cp1.fetch("failure", 50) + cp1.fetch("success", 100), engine.StatusPass, []string{"cp1 fetched"}},
		{"last fetch failed", cp2.fetch("success", 50) + cp2.fetch("failure", 100), engine.StatusFail,
			[]string{"cp2 failed to fetch the keys of " + testIssuer, "last success: 1970-01-01T00:00:50Z"}},
		{"never fetched", cp1.config("a"), engine.StatusSkip, []string{"first token"}},
		{"another issuer's keys only", strings.ReplaceAll(cp1.fetch("success", 1), HashOf(testIssuer), HashOf(testIssuer+"/")), engine.StatusSkip,
			[]string{"fetched the keys of 1 other issuer(s), none of " + testIssuer, "AUTHN-ISSUER"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectResult(t, checkJWKSFetch(t.Context(), metricsFacts(t, tc.metrics, nil)), tc.want, tc.says...)
		})
	}
}

func TestAuthnMetrics(t *testing.T) {
	file := &authconfig.Config{Path: "auth.yaml", Hash: HashOf("file")}
	cases := []struct {
		name, metrics string
		file          *authconfig.Config
		want          engine.Status
		says          string
	}{
		{"issuer fetched its keys", cp1.fetch("success", 1) + cp1.config("file"), file, engine.StatusPass, "configured"},
		{"no series yet, the given file runs", cp1.config("file"), file, engine.StatusPass, "same sha256"},
		{"no series yet, no file to compare", cp1.config("file"), nil, engine.StatusUnknown, "no token was verified"},
		{"no series yet, another file runs", cp1.config("other"), file, engine.StatusUnknown, "runs another configuration than auth.yaml (AUTHN-CONFIG-LOADED)"},
		{"no structured authentication", "process_start_time_seconds 1.7e+09\n", nil, engine.StatusSkip, "no JWT authenticator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectResult(t, checkAuthnMetrics(t.Context(), metricsFacts(t, tc.metrics, tc.file)), tc.want, tc.says)
		})
	}
}

func TestCoverageNamesTheAPIServersNotReached(t *testing.T) {
	r := checkJWKSFetch(t.Context(), metricsFacts(t, cp1.fetch("success", 1), nil))
	got := fmt.Sprint(r.Evidence.Get("apiservers"))
	for _, want := range []string{"judged cp1 (the API server answering at https://lb.example.com:6443)", "1 of 2 API servers not judged: cp2", "--server"} {
		if !strings.Contains(got, want) {
			t.Errorf("coverage %q does not say %q", got, want)
		}
	}
	m := Metrics{Server: "https://x", APIServers: []APIServerState{{IDHash: HashOf("apiserver-gone")}}}
	if name := m.NameOf(HashOf("apiserver-gone")); !strings.HasPrefix(name, "API server ") || len(name) != len("API server ")+12 {
		t.Errorf("an API server without a Lease is named %q, want the start of its hash", name)
	}
}

func expectResult(t *testing.T, r engine.Result, want engine.Status, says ...string) {
	t.Helper()
	if r.Status != want {
		t.Errorf("= %s %q, want %s", r.Status, r.Message, want)
	}
	for _, s := range says {
		if !strings.Contains(r.Message, s) {
			t.Errorf("%q does not say %q", r.Message, s)
		}
	}
}

// TestParseMetricsSkipsTheOtherSeries: only the series doctor reads reach the parser; the others,
// however long their lines or broken their syntax, are skipped, including a series whose name starts
// like one of ours.
func TestParseMetricsSkipsTheOtherSeries(t *testing.T) {
	long := "apiserver_request_total{path=\"" + strings.Repeat("x", 200<<10) + "\"} 1\n"
	text := "# HELP apiserver_request_total Counter.\n# TYPE apiserver_request_total counter\n" + long +
		"etcd_broken{ not a metric\n" +
		seriesConfig + "_suffix{apiserver_id_hash=\"other\"} garbage\n" +
		"# TYPE " + seriesConfig + " gauge\n" + cp1.config("file") + long +
		strings.TrimSuffix(cp1.fetch("success", 100), "\n") // the last line without its newline
	states, err := parseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Config.Hash != HashOf("file") || states[0].Issuers[HashOf(testIssuer)].LastSuccess.Unix() != 100 {
		t.Errorf("states = %+v", states)
	}
}

// BenchmarkParseMetrics reads a /metrics page the size of a busy API server's (about 8 MB, 60,000
// series) holding the few lines doctor keeps.
func BenchmarkParseMetrics(b *testing.B) {
	var page strings.Builder
	page.WriteString("# HELP apiserver_request_duration_seconds Histogram.\n# TYPE apiserver_request_duration_seconds histogram\n")
	for i := range 60000 {
		fmt.Fprintf(&page, "apiserver_request_duration_seconds_bucket{component=\"apiserver\",resource=\"r%d\",scope=\"cluster\",verb=\"LIST\",version=\"v1\",le=\"0.05\"} %d\n", i, i)
	}
	page.WriteString(cp1.fetch("success", 100) + cp1.keySet("{}") + cp1.config("file") + cp1.reload("success", 50))
	text := page.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		states, err := parseMetrics(strings.NewReader(text))
		if err != nil || len(states) != 1 {
			b.Fatalf("states %v, err %v", states, err)
		}
	}
}
