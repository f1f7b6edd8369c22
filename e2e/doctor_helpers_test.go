package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
	"sigs.k8s.io/yaml"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// doctorReport is the part of `doctor -o json` the tests read (schema version 1).
type doctorReport struct {
	SchemaVersion int `json:"schemaVersion"`
	Summary       struct {
		Total, Pass, Warn, Fail, Skip, Unknown int
	} `json:"summary"`
	DurationMs  int64           `json:"durationMs"`
	Interrupted bool            `json:"interrupted"`
	Checks      []doctorOutcome `json:"checks"`
	Chain       []struct {
		From    string   `json:"from"`
		To      string   `json:"to"`
		Status  string   `json:"status"`
		Broken  []string `json:"broken"`
		Skipped []string `json:"skipped"`
		Partial bool     `json:"partial"`
		Note    string   `json:"note"`
	} `json:"chain"`
}

type doctorOutcome struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Category   string         `json:"category"`
	Severity   string         `json:"severity"`
	Status     string         `json:"status"`
	Message    string         `json:"message"`
	Hint       string         `json:"hint"`
	Docs       string         `json:"docs"`
	Evidence   map[string]any `json:"evidence"`
	DurationMs *int64         `json:"durationMs"`
}

// byID indexes the report.
func (r doctorReport) byID() map[string]doctorOutcome {
	out := map[string]doctorOutcome{}
	for _, c := range r.Checks {
		out[c.ID] = c
	}
	return out
}

// text is everything a check says, for substring assertions.
func (o doctorOutcome) text() string {
	ev, _ := json.Marshal(o.Evidence)
	return o.Message + "\n" + o.Hint + "\n" + string(ev)
}

// doctorRun runs `doctor -o json` with the sandbox's secrets kept out of its output, and decodes it.
func doctorRun(t *testing.T, stdin []byte, env []string, args ...string) (doctorReport, pluginRun) {
	t.Helper()
	run := runPlugin(t, stdin, env, append([]string{"doctor", "-o", "json"}, args...)...)
	assertNoSecret(t, run, headlampClientSecret(t), stack.Alice.Password, stack.Bob.Password)
	var rep doctorReport
	if err := json.Unmarshal([]byte(run.Stdout), &rep); err != nil {
		t.Fatalf("doctor -o json printed no report (exit %d): %v\n%s", run.Code, err, run.Stdout)
	}
	var lines []string
	var slowest doctorOutcome
	for _, c := range rep.Checks {
		lines = append(lines, c.Status+" "+c.ID+": "+c.Message)
		if c.DurationMs != nil && (slowest.DurationMs == nil || *c.DurationMs > *slowest.DurationMs) {
			slowest = c
		}
	}
	t.Logf("doctor report:\n%s", strings.Join(lines, "\n"))
	// Timing for the reader only (no assertion): a slow teardown of a live check shows up here.
	if slowest.DurationMs != nil {
		t.Logf("doctor took %dms; slowest check %s took %dms", rep.DurationMs, slowest.ID, *slowest.DurationMs)
	}
	return rep, run
}

// documentedNonPass are the checks that end skip or unknown on a healthy sandbox, and why (docs/checks.md
// says the same): the sandbox's API server is a process, not a kube-system mirror pod; TestDoctorAPIServerMetrics
// has a token verified first and expects the JWKS checks to pass.
var documentedNonPass = map[string]string{
	"AUTHN-APISERVER-FLAGS": "no kube-apiserver pod to read flags from",
	// The API server fetches the IdP's keys for the first token it verifies after it started.
	"AUTHN-JWKS-FETCH":   "no token verified since the API server started",
	"IDP-KEYS-APISERVER": "no key set fetched since the API server started",
}

// tokenSkips are the identity checks a run without a token skips, each saying which flag gives one.
func tokenSkip(o doctorOutcome) bool {
	return o.Status == "skip" && strings.Contains(o.Message, "pass --token-file, --username or --browser")
}

// sessionNeedsSignIn: the refresh checks skip with a token file, which holds no refresh token, and
// say to sign in with --username or --browser instead.
func sessionNeedsSignIn(o doctorOutcome) bool {
	return o.Status == "skip" && strings.Contains(o.Message, "a token file holds no refresh token")
}

// liveVerdicts are the probes of the whole path (browser's token through Headlamp and capsule-proxy
// to the API server and Capsule), and Headlamp's log of what the probe made it do: they fail with
// whichever hop is broken, beside the check that names that hop, so expectOnly lets them fail too.
var liveVerdicts = []string{"HEADLAMP-API-LIVE", "REVIEW-PROXY", "HEADLAMP-LOG"}

// expectHealthy fails the test for every check that neither passed nor is a documented skip.
func expectHealthy(t *testing.T, rep doctorReport, allow func(doctorOutcome) bool) {
	t.Helper()
	for _, o := range rep.Checks {
		switch {
		case o.Status == "pass":
		case documentedNonPass[o.ID] != "" && (o.Status == "skip" || o.Status == "unknown"):
		case sessionNeedsSignIn(o):
		case allow != nil && allow(o):
		default:
			t.Errorf("false alarm on a healthy sandbox: %s %s: %s\nhint: %s", o.ID, o.Status, o.Message, o.Hint)
		}
	}
}

// expectOnly checks that id ended want, with its hint, mentioning each of contains, and that no other
// check failed unless listed in also.
func expectOnly(t *testing.T, rep doctorReport, id, want string, also []string, contains ...string) doctorOutcome {
	t.Helper()
	got := rep.byID()
	o, ok := got[id]
	if !ok {
		t.Fatalf("%s is not in the report", id)
	}
	if o.Status != want {
		t.Errorf("%s = %s %q, want %s", id, o.Status, o.Message, want)
	}
	if (want == "fail" || want == "warn") && (o.Hint == "" || !strings.Contains(o.Docs, "#"+strings.ToLower(id))) {
		t.Errorf("%s has no hint or docs link: hint %q docs %q", id, o.Hint, o.Docs)
	}
	for _, c := range contains {
		if !strings.Contains(o.text(), c) {
			t.Errorf("%s does not mention %q:\n%s", id, c, o.text())
		}
	}
	for _, other := range rep.Checks {
		if other.ID == id || other.Status != "fail" && !(want == "warn" && other.Status == "warn") {
			continue
		}
		if !contains2(also, other.ID) && !contains2(liveVerdicts, other.ID) {
			t.Errorf("%s also %sed: %s", other.ID, other.Status, other.Message)
		}
	}
	return o
}

func contains2(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// authConfigFile is the AuthenticationConfiguration the sandbox's API server runs with.
func authConfigFile() string {
	return sb.AuthConfigFile()
}

// writeAuthConfig writes the healthy configuration changed by mutate to a file, for
// --authentication-config, and returns its path.
func writeAuthConfig(t *testing.T, mutate func(*apiserverv1.AuthenticationConfiguration)) string {
	t.Helper()
	ca, err := os.ReadFile(sb.OIDCCAFile())
	if err != nil {
		t.Fatal(err)
	}
	cfg := stack.HealthyAuthConfig(string(ca))
	if mutate != nil {
		mutate(&cfg)
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "authentication-config.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
