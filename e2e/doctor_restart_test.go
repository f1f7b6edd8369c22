package e2e

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// restartAPIServer restarts the API server with the healthy configuration changed by mutate until the
// test ends. After each restart it restarts kube-controller-manager too and waits for the proxy and
// Headlamp to serve again: the controller manager's clients remember resource versions the restarted
// API server has not caught up with ("read version ... is not as new as written version"), and its
// node controller then holds the fake node NotReady, with every pod unready, for minutes.
func restartAPIServer(t *testing.T, mutate func(*apiserverv1.AuthenticationConfiguration)) {
	t.Helper()
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), mutate)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore the API server: %v", err)
		}
		settleAfterRestart(t, ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	settleAfterRestart(t, t.Context())
}

func settleAfterRestart(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := sb.StopComponent(stack.ControllerMgr)(ctx); err != nil {
		t.Errorf("restart kube-controller-manager: %v", err)
	}
	waitRolledOut(t, ctx, stack.CapsuleNamespace, "capsule-proxy")
	waitRolledOut(t, ctx, stack.CapsuleNamespace, "headlamp")
	waitLiveProxy(t, ctx)
}

// waitLiveProxy waits until doctor's live TLS check passes: the API server answers, its port-forward
// reaches the proxy pod, and the proxy serves.
func waitLiveProxy(t *testing.T, ctx context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var out []byte
	for {
		cmd := exec.CommandContext(ctx, pluginBinary(t), "doctor", "--check", "PROXY-TLS-LIVE", "-o", "short")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, adminEnv()...)
		var err error
		if out, err = cmd.CombinedOutput(); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("capsule-proxy not reachable through a port-forward again:\n%s", out)
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// hangDex replaces Dex by a listener that never answers until the test ends. The sandbox's restore
// starts Dex again with new signing keys; a kube-apiserver that met the hung Dex may keep rejecting
// tokens signed with them ("failed to verify id token signature"), so the API server is then
// restarted too, which reloads Dex's keys.
func hangDex(t *testing.T) {
	t.Helper()
	restore, err := sb.HangComponent(t.Context(), stack.Dex)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		err := restore(ctx)
		if err == nil {
			return
		}
		t.Logf("restore dex: %v; restarting kube-apiserver to reload Dex's keys", err)
		ctx, cancel = cleanupCtx() // the failed restore used up the first one
		defer cancel()
		if err := sb.StopComponent(stack.APIServer)(ctx); err != nil {
			t.Errorf("restart kube-apiserver after Dex: %v", err)
		}
		settleAfterRestart(t, ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// shortLivedDex restarts Dex issuing ID tokens valid for ttl until the test ends, so that a test can
// hold an expired token that Dex really signed.
func shortLivedDex(t *testing.T, ttl time.Duration) {
	t.Helper()
	restore, err := sb.RestartDexWithTokenLifetime(t.Context(), ttl)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore Dex's token lifetime: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
