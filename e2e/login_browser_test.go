package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestLoginSignsAliceInWithARealBrowser: login opens the sign-in deep link through the system launcher
// (an xdg-open first in PATH hands it to headless Chromium), the link lands on Dex's login page,
// alice signs in, and the browser arrives at the registered callback on the local port, which the
// Headlamp stand-in answers through login's port-forward.
func TestLoginSignsAliceInWithARealBrowser(t *testing.T) {
	installHeadlamp(t)
	shim, caught := urlCatcher(t, "xdg-open")
	p := startPlugin(t, append(adminEnv(), "PATH="+shim+":"+os.Getenv("PATH")), "login")
	url := caught()
	if url != "http://localhost:8080/oidc?cluster=main" {
		t.Fatalf("the launcher was given %q", url)
	}
	p.waitStderr(t, "Opened "+url+" in the browser")
	if out := p.stdout.String(); out != url+"\n" {
		t.Errorf("stdout = %q, want the URL alone (the launcher's own output must not mix in)", out)
	}
	if strings.Contains(p.stderr.String(), "launcher noise") {
		t.Errorf("the launcher's output leaked into stderr:\n%s", p.stderr)
	}

	loginPage, final, body := signInWithChromium(t, url, stack.Alice)
	if !strings.HasPrefix(loginPage, stack.IssuerURL+"/auth") {
		t.Errorf("the deep link landed on %q, want Dex's login page", loginPage)
	}
	// Headlamp's callback (on the registered URI, through login's port-forward) sets the session
	// cookie and sends the browser on to /auth, whose page asks the cluster who it is with that cookie:
	// browser -> Headlamp -> capsule-proxy -> API server.
	if final != "http://localhost:8080/auth?cluster=main" {
		t.Errorf("the browser ended on %q, want Headlamp's /auth page after the registered callback", final)
	}
	if !strings.Contains(body, "Signed in as "+stack.Alice.Email) {
		t.Errorf("Headlamp's page says %q", body)
	}
	if code := p.interrupt(t); code != 0 {
		t.Errorf("exit code after Ctrl-C = %d, want 0", code)
	}
	assertNoSecret(t, pluginRun{Stdout: p.stdout.String(), Stderr: p.stderr.String()}, headlampClientSecret(t), stack.Alice.Password)
}

// signInWithChromium opens url in headless Chromium, fills Dex's password form as user, and waits for
// the callback. It returns the login page's URL, the final URL and the final page's text.
func signInWithChromium(t *testing.T, url string, user stack.User) (loginPage, final, body string) {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), chromiumOptions(t)...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	// A bound for each step, derived from the browser's context as chromedp asks: a hang guard.
	ctx, cancel := context.WithTimeout(browser, time.Minute)
	defer cancel()
	login, password := chromedp.CSS(`input[name="login"]`), chromedp.CSS(`input[name="password"]`)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(login)); err != nil {
		t.Fatalf("Dex's login form: %v", err)
	}
	loginPage, _ = chromedp.Run(ctx, chromedp.Location())
	err := chromedp.Do(ctx,
		chromedp.SendKeys(login, user.Email),
		chromedp.SendKeys(password, user.Password),
		chromedp.Submit(password),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	final, err = waitForCallback(ctx)
	if err != nil {
		t.Fatalf("the browser never reached the callback (at %q): %v", final, err)
	}
	body, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	return loginPage, final, body
}

// waitForCallback polls the tab until it has loaded the page the sign-in ends on: a loopback callback
// page, or Headlamp's /auth page once it has asked the cluster who signed in. It polls from Go because
// a script polling inside the page dies with the page when the browser navigates away.
func waitForCallback(ctx context.Context) (string, error) {
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && (strings.Contains(loc, "/oidc-callback") || strings.Contains(loc, "/auth?cluster=")) {
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			settled := !strings.Contains(loc, "/auth?") || strings.Contains(text, "Signed in") || strings.Contains(text, "Not signed in")
			if err == nil && state == "complete" && settled {
				return loc, nil
			}
		}
		select {
		case <-ctx.Done():
			return loc, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// chromiumOptions starts Debian's chromium headless with a fresh profile. Dex's CA is trusted through
// an NSS database in a temporary HOME, the way a user's browser would trust a private CA; only when
// certutil fails does the browser fall back to ignoring certificate errors.
func chromiumOptions(t *testing.T) []chromedp.ExecAllocatorOption {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("this test needs Debian's chromium (apt-get install chromium libnss3-tools): %v", err)
	}
	home := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("HOME=" + home),
	}
	if err := trustInNSS(home, sb.OIDCCAFile()); err != nil {
		t.Logf("cannot add Dex's CA to an NSS database (%v): Chromium ignores certificate errors instead", err)
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	return opts
}

// trustInNSS creates $HOME/.pki/nssdb and adds caFile to it as a trusted CA for TLS servers.
func trustInNSS(home, caFile string) error {
	db := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(db, 0o700); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + db, "--empty-password"},
		{"-A", "-d", "sql:" + db, "-n", "sandbox-oidc-ca", "-t", "C,,", "-i", caFile},
	} {
		if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			return &certutilError{args: args, out: string(out), err: err}
		}
	}
	return nil
}

type certutilError struct {
	args []string
	out  string
	err  error
}

func (e *certutilError) Error() string {
	return "certutil " + strings.Join(e.args, " ") + ": " + e.err.Error() + ": " + strings.TrimSpace(e.out)
}
