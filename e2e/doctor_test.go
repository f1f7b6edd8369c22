package e2e

import (
	"strings"
	"testing"
	"time"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctor installs Headlamp once and runs doctor against the healthy sandbox and against each fault
// knob: exactly the check that names the fault fails (or warns), with its hint. Each fault restores
// the sandbox before the next case, which the next case's own healthy checks then prove.
func TestDoctor(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		if run.Code != 0 {
			t.Errorf("exit %d on a healthy sandbox", run.Code)
		}
		expectHealthy(t, rep, tokenSkip)
		checkSchema(t, rep)
		expectConfigurationOnly(t, rep)
		text := runPlugin(t, nil, adminEnv(), append([]string{"doctor", "--color=never"}, auth...)...)
		expectExit(t, text, 0)
		mustContain(t, "text output", text.Stdout, "✔ API server -> Capsule tenant: configuration only; "+
			"5 checks need a user token (--token-file, --username or --browser)", "skipped: same reason as TOKEN-OBTAINED")
		expectExit(t, runPlugin(t, nil, adminEnv(), "doctor", "--check", "NO-SUCH-CHECK"), 2)
	})
	doctorWrongPlaces(t)
	t.Run("a user without RBAC", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--as", "nobody@example.com")...)
		expectExit(t, run, 0)
		forbidden := 0
		for _, o := range rep.Checks {
			switch {
			case o.ID == "CLUSTER-PERMISSIONS":
			case o.Status == "fail" || o.Status == "warn":
				t.Errorf("a missing permission is not a finding: %s %s %q", o.ID, o.Status, o.Message)
			case o.Status == "unknown" && strings.Contains(o.Message, "forbidden"):
				forbidden++
			}
		}
		// Reported once, as a warning with a hint: the run could not see everything.
		if perm := rep.byID()["CLUSTER-PERMISSIONS"]; perm.Status != "warn" || strings.Count(perm.Message, "get secrets -n capsule-system") != 1 ||
			!strings.Contains(perm.Hint, "report unknown, not failed") {
			t.Errorf("CLUSTER-PERMISSIONS = %s %q (hint %q), want a warning naming each missing permission once", perm.Status, perm.Message, perm.Hint)
		}
		if forbidden == 0 {
			t.Error("no check says which permission it lacked")
		}
	})
	t.Run("a user who may not read Headlamp's OIDC Secret", func(t *testing.T) {
		grantSecretlessViewer(t)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--as", secretlessViewer)...)
		expectExit(t, run, 0)
		expectOIDCSecretUnknown(t, rep)
	})
	t.Run("wrong SAN", func(t *testing.T) {
		proxyCertFault(t, stack.ProxyCertWrongSANs)
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "PROXY-CERT-SAN", "fail", nil, "wrong.example.com")
		expectExit(t, run, 1)
		for _, format := range []string{"text", "short"} {
			args := append([]string{"doctor", "--color=never"}, auth...)
			if format == "short" {
				args = append(args, "-o", "short")
			}
			run := runPlugin(t, nil, adminEnv(), args...)
			expectExit(t, run, 1)
			mustContain(t, format+" output", run.Stdout, "PROXY-CERT-SAN", "hint: Re-issue", "docs: ", "Sign-in chain",
				"Headlamp -> capsule-proxy: PROXY-CERT-SAN")
		}
	})
	t.Run("expired certificate", func(t *testing.T) {
		proxyCertFault(t, stack.ProxyCertExpired)
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "PROXY-CERT-VALIDITY", "fail", nil, "expired")
	})
	t.Run("certificate from another CA", func(t *testing.T) {
		proxyCertFault(t, stack.ProxyCertOtherCA)
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "PROXY-CERT-CHAIN", "fail", nil, "sandbox-other-ca")
	})
	t.Run("CA under ca, Headlamp projects ca.crt", func(t *testing.T) {
		proxyCertFault(t, stack.ProxyCAUnderKeyCA)
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "HEADLAMP-CA", "fail", nil, "ca.crt")
		if o := rep.byID()["PROXY-SECRET"]; o.Status != "pass" || !strings.Contains(o.Message, `key ca`) {
			t.Errorf("PROXY-SECRET with the CA under ca: %s %q, want pass naming key ca", o.Status, o.Message)
		}
	})
	t.Run("no endpoints", func(t *testing.T) {
		scaleDeployment(t, stack.CapsuleNamespace, "capsule-proxy", 0)
		// With alice's token, so that the identity checks run as far as they can without a proxy pod.
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		expectOnly(t, rep, "PROXY-ENDPOINTS", "fail", nil, "capsule-proxy")
		got := rep.byID()
		if o := got["REVIEW-PROXY"]; o.Status != "skip" || o.Message != "needs PROXY-ENDPOINTS, which failed" {
			t.Errorf("REVIEW-PROXY = %s %q, want skipped after PROXY-ENDPOINTS", o.Status, o.Message)
		}
		if o := got["REVIEW-APISERVER"]; o.Status != "pass" {
			t.Errorf("REVIEW-APISERVER = %s %q: the API server needs no proxy pod", o.Status, o.Message)
		}
	})
	t.Run("a proxy outage Headlamp logged, over since", func(t *testing.T) {
		// The same Headlamp pod still holds the proxy errors the run above made it log; this run's
		// request through Headlamp gets through, so they are history, named in a pass.
		file, _ := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		expectExit(t, run, 0)
		o := expectOnly(t, rep, "HEADLAMP-LOG", "pass", nil, "earlier one(s) that this run's live probes got past", "http: proxy error")
		if o.Evidence["earlier lines"] == nil {
			t.Errorf("HEADLAMP-LOG evidence %v, want the earlier lines", o.Evidence)
		}
	})
	t.Run("insecure-ssl", func(t *testing.T) {
		headlampArg(t, "-insecure-ssl")
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "HEADLAMP-INSECURE-SSL", "warn", nil)
		expectExit(t, run, 0)
		_, run = doctorRun(t, nil, adminEnv(), append(auth, "--fail-on=warning")...)
		expectExit(t, run, 1)
	})
	t.Run("cluster-admin binding", func(t *testing.T) {
		name := bindClusterAdmin(t, stack.CapsuleNamespace, "headlamp")
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "HEADLAMP-RBAC", "warn", nil, name)
	})
	t.Run("legacy OIDC flags on a kubeadm API server", func(t *testing.T) {
		kubeadmAPIServerPod(t, "--oidc-issuer-url="+stack.IssuerURL, "--oidc-client-id="+stack.KubernetesClientID)
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "AUTHN-APISERVER-FLAGS", "fail", nil, "legacy --oidc-client-id=kubernetes", "one audience")
		expectExit(t, run, 1)
	})
	t.Run("structured authentication on a kubeadm API server", func(t *testing.T) {
		kubeadmAPIServerPod(t, "--authentication-config=/etc/kubernetes/authn.yaml")
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "AUTHN-APISERVER-FLAGS", "pass", nil, "/etc/kubernetes/authn.yaml")
	})
	t.Run("single audience", func(t *testing.T) {
		single := func(c *apiserverv1.AuthenticationConfiguration) {
			c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
		}
		restartAPIServer(t, single)
		rep, _ := doctorRun(t, nil, adminEnv(), "--authentication-config", writeAuthConfig(t, single))
		expectOnly(t, rep, "AUTHN-AUDIENCE", "fail", nil, "kubernetes")
	})
	t.Run("hung proxy", func(t *testing.T) {
		hangComponent(t, stack.ProxyStandin)
		timeout := 8 * time.Second
		rep, _ := doctorRun(t, nil, adminEnv(), append(auth, "--timeout", timeout.String())...)
		expectOnly(t, rep, "PROXY-TLS-LIVE", "fail", nil, "hung")
		expectWithin(t, rep, timeout)
	})
}

// expectConfigurationOnly checks the sign-in chain of a healthy run without a token: every hop after
// browser -> Headlamp has checks that need a user token, so it passes as "configuration only" or as
// probed live by the probes that need none, with those checks listed as skipped and the hop marked
// partial; browser -> Headlamp says it was judged from configuration.
func expectConfigurationOnly(t *testing.T, rep doctorReport) {
	t.Helper()
	skipped := map[string]bool{}
	for _, o := range rep.Checks {
		skipped[o.ID] = tokenSkip(o)
	}
	for i, h := range rep.Chain {
		tokenSkips := 0
		for _, id := range h.Skipped {
			if skipped[id] {
				tokenSkips++
			}
		}
		want := i > 0
		basis := strings.HasPrefix(h.Note, "configuration only; ") || strings.HasPrefix(h.Note, "probed live (")
		if h.Status != "pass" || h.Partial != want || (tokenSkips > 0) != want || basis != want ||
			!want && h.Note != "configuration only" {
			t.Errorf("hop %s -> %s: %s partial %v skipped %v note %q; want a pass, configuration only after the browser hop",
				h.From, h.To, h.Status, h.Partial, h.Skipped, h.Note)
		}
	}
}

// expectExit fails unless the run exited with code.
func expectExit(t *testing.T, run pluginRun, code int) {
	t.Helper()
	if run.Code != code {
		t.Errorf("exit code %d, want %d\n%s", run.Code, code, run.Stderr)
	}
}

// expectWithin checks that the run obeyed --timeout: it ended, uninterrupted, every check with an
// outcome, in no more than the timeout plus the runner's grace for a check's own last word.
func expectWithin(t *testing.T, rep doctorReport, timeout time.Duration) {
	t.Helper()
	if rep.Interrupted || time.Duration(rep.DurationMs)*time.Millisecond > timeout+time.Second {
		t.Errorf("the run took %dms (interrupted %v), --timeout was %s", rep.DurationMs, rep.Interrupted, timeout)
	}
}

// checkSchema checks the JSON report's fields: version, summary adding up, each check complete.
func checkSchema(t *testing.T, rep doctorReport) {
	t.Helper()
	s := rep.Summary
	if rep.SchemaVersion != 1 || s.Total != len(rep.Checks) || s.Pass+s.Warn+s.Fail+s.Skip+s.Unknown != s.Total {
		t.Errorf("schema %d, summary %+v for %d checks", rep.SchemaVersion, s, len(rep.Checks))
	}
	for _, c := range rep.Checks {
		if c.ID == "" || c.Title == "" || c.Category == "" || c.Severity == "" || c.Status == "" || c.Docs == "" ||
			c.Evidence == nil || c.DurationMs == nil {
			t.Errorf("incomplete check record %+v", c)
		}
	}
	if len(rep.Chain) != 5 || rep.Chain[0].From != "browser" || rep.Chain[4].To != "Capsule tenant" {
		t.Errorf("chain %+v, want the five hops from the browser to the tenant", rep.Chain)
	}
}
