package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorIdentity follows a user's sign-in with doctor on the sandbox: alice's token from each
// source passes end to end; each identity fault fails the check that names it, with its hint; no
// token, password or client secret ever appears in the output.
func TestDoctorIdentity(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	t.Run("alice from a token file", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		expectAlice(t, rep, run)
	})
	t.Run("alice as a tenant, with her own kubeconfig", doctorAsTenant)
	t.Run("alice from standard input", func(t *testing.T) {
		_, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, []byte(tok), adminEnv(), append(auth, "--token-file", "-")...)
		assertNoSecret(t, run, tok)
		expectAlice(t, rep, run)
		if src := rep.byID()["TOKEN-OBTAINED"].Message; !strings.HasPrefix(src, "from standard input: ") || !strings.Contains(src, `email "alice@example.com"`) {
			t.Errorf("TOKEN-OBTAINED says %q, want the source and the claims that matter", src)
		}
	})
	t.Run("alice with the password grant", func(t *testing.T) {
		pw := secretFile(t, "password", stack.Alice.Password)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--username", stack.Alice.Email, "--password-file", pw)...)
		expectAlice(t, rep, run)
	})
	t.Run("alice through --proxy-address", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		address := strings.TrimPrefix(stack.ProxyURL, "https://")
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file, "--proxy-address", address)...)
		assertNoSecret(t, run, tok)
		expectAlice(t, rep, run)
	})
	t.Run("alice in the browser", func(t *testing.T) {
		doctorInTheBrowser(t, auth, 0)
	})
	t.Run("alice in the browser, signing in after --timeout", func(t *testing.T) {
		// The sign-in happens before the checks run: a person is not held to --timeout.
		doctorInTheBrowser(t, append(auth, "--check-timeout=5s", "--timeout=15s"), 16*time.Second)
	})
	t.Run("bob is in no Capsule group", func(t *testing.T) {
		file, tok := userToken(t, stack.Bob.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		// Nothing works for bob in Headlamp either: TENANT-VIEWS says so beside the cause.
		o := expectOnly(t, rep, "TENANT-USER-GROUP", "fail", []string{"TENANT-VIEWS"}, stack.TenantOwnerGroup, "developers")
		mustContain(t, "hint", o.Hint, "kubectl patch capsuleconfiguration default", "/spec/users/-", `"name":"developers"`)
	})
	t.Run("a token of client kubernetes", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.KubernetesClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		expectOnly(t, rep, "TOKEN-AUDIENCE", "fail", nil, `"headlamp"`, "kubernetes")
	})
	t.Run("a token without the groups scope", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, []string{"openid", "email", "profile"})
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		// Without groups alice is in no tenant: she would see nothing in Headlamp either.
		expectOnly(t, rep, "TOKEN-GROUPS", "fail", []string{"TENANT-VIEWS"}, `no "groups" claim`)
	})
	t.Run("an expired token", func(t *testing.T) {
		const ttl = 3 * time.Second
		shortLivedDex(t, ttl)
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		time.Sleep(ttl + time.Second) // Dex signed it valid for ttl from now
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file)...)
		assertNoSecret(t, run, tok)
		// The signature is Dex's own and still verifies: only the expiry fails, and the API server's
		// 401 puts it first among its causes.
		expectOnly(t, rep, "TOKEN-EXPIRY", "fail", []string{"REVIEW-APISERVER"}, "expired")
		mustContain(t, "REVIEW-APISERVER", rep.byID()["REVIEW-APISERVER"].Message, "(401)", "1. expired")
	})
	t.Run("wrong client secret", func(t *testing.T) {
		rep, _ := doctorRun(t, nil, adminEnv(), append(auth, "--oidc-client-secret-file", secretFile(t, "secret", "not-the-secret"))...)
		expectOnly(t, rep, "IDP-CLIENT", "fail", nil, `rejected client "headlamp"`)
	})
	identityAPIServerFaults(t)
	t.Run("IdP hung", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		hangDex(t)
		timeout := 20 * time.Second
		rep, run := doctorRun(t, nil, adminEnv(), append(auth, "--token-file", file, "--timeout", timeout.String())...)
		assertNoSecret(t, run, tok)
		expectOnly(t, rep, "IDP-DISCOVERY", "fail", nil, "did not answer in time")
		expectWithin(t, rep, timeout)
	})
}

// identityAPIServerFaults restart the API server with a broken AuthenticationConfiguration: doctor
// without the file names the 401's likely cause; with it, the configuration check and the review agree.
func identityAPIServerFaults(t *testing.T) {
	t.Run("API server accepts audience kubernetes only", func(t *testing.T) {
		single := func(c *apiserverv1.AuthenticationConfiguration) {
			c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
		}
		restartAPIServer(t, single)
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), "--token-file", file)
		assertNoSecret(t, run, tok)
		expectOnly(t, rep, "REVIEW-APISERVER", "fail", nil, "(401)", "1. audience not accepted")
		rep, _ = doctorRun(t, nil, adminEnv(), "--token-file", file, "--authentication-config", writeAuthConfig(t, single))
		expectOnly(t, rep, "AUTHN-AUDIENCE", "fail", []string{"REVIEW-APISERVER"}, "accepts only kubernetes")
		mustContain(t, "REVIEW-APISERVER", rep.byID()["REVIEW-APISERVER"].Message, `1. audience not accepted: the API server accepts ["kubernetes"]`)
	})
	t.Run("API server with groups prefix oidc:", func(t *testing.T) {
		prefixed := func(c *apiserverv1.AuthenticationConfiguration) {
			p := "oidc:"
			c.JWT[0].ClaimMappings.Groups.Prefix = &p
		}
		restartAPIServer(t, prefixed)
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), "--token-file", file)
		assertNoSecret(t, run, tok)
		o := expectOnly(t, rep, "TENANT-USER-GROUP", "fail", []string{"TENANT-VIEWS"}, "oidc:tenant-a-owners")
		mustContain(t, "hint", o.Hint, "groups prefix")
		rep, _ = doctorRun(t, nil, adminEnv(), "--token-file", file, "--authentication-config", writeAuthConfig(t, prefixed))
		expectOnly(t, rep, "AUTHN-CLAIMS", "fail", []string{"TENANT-USER-GROUP", "TENANT-VIEWS"}, "oidc:")
	})
	t.Run("API server with a wrong certificateAuthority", func(t *testing.T) {
		proxyCA, err := os.ReadFile(sb.ProxyCAFile())
		if err != nil {
			t.Fatal(err)
		}
		wrongCA := func(c *apiserverv1.AuthenticationConfiguration) {
			c.JWT[0].Issuer.CertificateAuthority = string(proxyCA)
		}
		restartAPIServer(t, wrongCA)
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		rep, run := doctorRun(t, nil, adminEnv(), "--token-file", file, "--authentication-config", writeAuthConfig(t, wrongCA))
		assertNoSecret(t, run, tok)
		expectOnly(t, rep, "IDP-APISERVER-TRUST", "fail", []string{"REVIEW-APISERVER"}, "certificateAuthority")
		review := rep.byID()["REVIEW-APISERVER"]
		if review.Status != "fail" || !strings.Contains(review.Message, "IDP-APISERVER-TRUST") {
			t.Errorf("REVIEW-APISERVER = %s %q, want the 401 pointing at IDP-APISERVER-TRUST", review.Status, review.Message)
		}
	})
}

// doctorInTheBrowser runs doctor --browser: the system launcher (an xdg-open first in PATH) is handed the
// IdP's sign-in URL, headless Chromium signs alice in at Dex, and Dex redirects to doctor's loopback
// callback on Headlamp's registered redirect URI (http://localhost:8080/oidc-callback). alice takes
// slow to sign in once the browser opened.
func doctorInTheBrowser(t *testing.T, auth []string, slow time.Duration) {
	t.Helper()
	shim, caught := urlCatcher(t, "xdg-open")
	env := append(adminEnv(), "PATH="+shim+":"+os.Getenv("PATH"))
	p := startPlugin(t, env, append([]string{"doctor", "-o", "json", "--browser"}, auth...)...)
	url := caught()
	if !strings.HasPrefix(url, stack.IssuerURL+"/auth?") || !strings.Contains(url, "code_challenge=") {
		t.Fatalf("the launcher was given %q, want Dex's authorization URL with PKCE", url)
	}
	p.waitStderr(t, "Waiting for the browser sign-in")
	time.Sleep(slow)
	_, final, body := signInWithChromium(t, url, stack.Alice)
	if !strings.HasPrefix(final, "http://localhost:"+loginPort+"/oidc-callback?code=") || !strings.Contains(body, "Signed in") {
		t.Errorf("the browser ended on %q saying %q", final, body)
	}
	code := p.wait(t)
	run := pluginRun{Code: code, Stdout: p.stdout.String(), Stderr: p.stderr.String()}
	assertNoSecret(t, run, headlampClientSecret(t), stack.Alice.Password)
	var rep doctorReport
	if err := json.Unmarshal([]byte(run.Stdout), &rep); err != nil {
		t.Fatalf("doctor --browser printed no report (exit %d): %v", code, err)
	}
	expectAlice(t, rep, run)
	if src := rep.byID()["TOKEN-OBTAINED"].Message; !strings.Contains(src, "browser sign-in on http://localhost:8080/oidc-callback") {
		t.Errorf("TOKEN-OBTAINED says %q", src)
	}
}
