package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
	"k8s.io/client-go/util/retry"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorProbesHeadlampLive: doctor asks the running Headlamp itself (its /oidc and, with alice's
// token, requests through it to the cluster), so a fault that only a running pod shows is found and
// each configuration fault is named with the fix for the side that is wrong. Each case breaks one
// thing; the healthy stack raises no warning.
func TestDoctorProbesHeadlampLive(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	withToken := append(auth, "--token-file", file)
	run := func(t *testing.T, args ...string) (doctorReport, pluginRun) {
		t.Helper()
		rep, r := doctorRun(t, nil, adminEnv(), args...)
		assertNoSecret(t, r, tok)
		return rep, r
	}
	// First, before any request through Headlamp opened a keep-alive connection to the proxy.
	t.Run("proxy CA rotated after Headlamp started", func(t *testing.T) {
		proxyCertFault(t, stack.ProxyCertRotated)
		rep, r := run(t, withToken...)
		expectExit(t, r, 1)
		expectOnly(t, rep, "HEADLAMP-API-LIVE", "fail", []string{"HEADLAMP-RESTART", "HEADLAMP-LOG"}, "502", "x509", "rollout restart")
		expectOnly(t, rep, "HEADLAMP-RESTART", "fail", []string{"HEADLAMP-API-LIVE", "HEADLAMP-LOG"}, "kubectl -n capsule-system rollout restart deployment/headlamp",
			"re-running `kubectl capsule-headlamp install` restarts Headlamp")
		// The log is read after the probes: it holds the line the probe's own 502 made Headlamp write.
		expectOnly(t, rep, "HEADLAMP-LOG", "fail", []string{"HEADLAMP-API-LIVE", "HEADLAMP-RESTART"},
			"http: proxy error: tls: failed to verify certificate: x509", "rollout restart deployment/headlamp")
		expectHop(t, rep, "Headlamp", "capsule-proxy", "fail", "HEADLAMP-RESTART, HEADLAMP-API-LIVE")

		restartDeployment(t, stack.CapsuleNamespace, "headlamp")
		rep, r = run(t, withToken...)
		expectExit(t, r, 0)
		expectHealthy(t, rep, nil)
	})
	t.Run("healthy", func(t *testing.T) {
		rep, r := run(t, withToken...)
		expectExit(t, r, 0)
		expectHealthy(t, rep, nil)
		got := rep.byID()
		if o := got["HEADLAMP-API-LIVE"]; !strings.Contains(o.Message, `user "alice@example.com"`) || !strings.Contains(o.Message, "tenant-a-dev") {
			t.Errorf("HEADLAMP-API-LIVE = %q, want alice and her tenant's namespaces", o.Message)
		}
		if o := got["HEADLAMP-OIDC-LIVE"]; !strings.Contains(o.Message, "302 to "+stack.IssuerURL) {
			t.Errorf("HEADLAMP-OIDC-LIVE = %q, want a redirect to Dex", o.Message)
		}
		if o := got["IDP-REDIRECT-URIS"]; o.Message != "http://localhost:8080/oidc-callback (a port-forward to localhost:8080, as the guides do)" {
			t.Errorf("IDP-REDIRECT-URIS = %q, want login's port-forward accepted", o.Message)
		}
		if o := got["HEADLAMP-LOG"]; !strings.Contains(o.Message, "context main is proxied to https://capsule-proxy.capsule-system.svc:9001") {
			t.Errorf("HEADLAMP-LOG = %q, want the API URL of Headlamp's Proxy setup line", o.Message)
		}
		expectHop(t, rep, "Headlamp", "IdP", "pass", "probed live (HEADLAMP-OIDC-LIVE)")
		expectHop(t, rep, "browser", "Headlamp", "pass", "configuration only")
	})
	t.Run("an Ingress host Dex does not allow", func(t *testing.T) {
		applyIngress(t, "e2e-doctor-headlamp", "headlamp.example.test")
		rep, r := run(t, auth...)
		expectExit(t, r, 1)
		o := expectOnly(t, rep, "IDP-REDIRECT-URIS", "fail", nil, "the IdP refuses 1 of 2 redirect URI(s)",
			"refused: https://headlamp.example.test/oidc-callback (Ingress e2e-doctor-headlamp): the IdP answered 400",
			"Unregistered redirect_uri", "accepted: http://localhost:8080/oidc-callback", "staticClients[].redirectURIs")
		t.Logf("IDP-REDIRECT-URIS: %s", o.Message)
		expectHop(t, rep, "Headlamp", "IdP", "fail", "IDP-REDIRECT-URIS")
	})
	t.Run("scopes written with spaces", func(t *testing.T) {
		setOIDCConfig(t, "scopes", "profile email groups offline_access")
		rep, r := run(t, withToken...)
		expectExit(t, r, 0)
		expectHealthy(t, rep, nil)
	})
	t.Run("trailing slash in Headlamp's issuer", func(t *testing.T) {
		setOIDCConfig(t, "issuerURL", stack.IssuerURL+"/")
		rep, r := run(t, auth...)
		expectExit(t, r, 1)
		also := []string{"IDP-DISCOVERY", "IDP-ISSUER-MATCH", "AUTHN-ISSUER", "AUTHN-METRICS", "HEADLAMP-LOG"}
		o := expectOnly(t, rep, "HEADLAMP-OIDC-LIVE", "fail", also, "did not match the issuer URL returned by provider", stack.IssuerURL+",")
		expectOnly(t, rep, "HEADLAMP-LOG", "fail", append(also, "HEADLAMP-OIDC-LIVE"), "failed to get provider: oidc: issuer URL provided to client",
			"HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL")
		t.Logf("HEADLAMP-OIDC-LIVE hint: %s", o.Hint)
		for _, c := range rep.Checks {
			if c.Status == "fail" && strings.Contains(c.Hint, stack.IssuerURL+"/") {
				t.Errorf("%s tells the user to use Headlamp's issuer with its slash: %s", c.ID, c.Hint)
			}
		}
	})
	t.Run("Headlamp without the IdP's CA", func(t *testing.T) {
		changeDeployment(t, stack.CapsuleNamespace, "headlamp", func(d *appsv1.Deployment) {
			c := &d.Spec.Template.Spec.Containers[0]
			c.Env = dropEnv(c.Env, "SSL_CERT_DIR")
		})
		rep, r := run(t, auth...)
		expectExit(t, r, 1)
		expectOnly(t, rep, "HEADLAMP-OIDC-LIVE", "fail", []string{"IDP-DISCOVERY-HEADLAMP", "HEADLAMP-LOG"}, "x509", "SSL_CERT_DIR")
		// Headlamp's own log holds the same x509 error, with the fix.
		expectOnly(t, rep, "HEADLAMP-LOG", "fail", []string{"IDP-DISCOVERY-HEADLAMP", "HEADLAMP-OIDC-LIVE"},
			"failed to get provider", "x509: certificate signed by unknown authority", "--oidc-ca-file")
	})
	t.Run("a user who may not read Headlamp's log", func(t *testing.T) {
		grantLoglessViewer(t)
		rep, _ := run(t, append(withToken, "--as", loglessViewer)...)
		o := expectOnly(t, rep, "HEADLAMP-LOG", "unknown", []string{"CLUSTER-PERMISSIONS"}, "forbidden", "get pods/log")
		if !strings.Contains(o.Message, "-n "+stack.CapsuleNamespace) {
			t.Errorf("HEADLAMP-LOG = %q, want the namespace of the permission it lacks", o.Message)
		}
	})
	t.Run("an audience the API server rejects", func(t *testing.T) {
		single := func(c *apiserverv1.AuthenticationConfiguration) {
			c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
		}
		restartAPIServer(t, single)
		rep, _ := run(t, "--authentication-config", writeAuthConfig(t, single), "--token-file", file)
		also := []string{"AUTHN-AUDIENCE", "REVIEW-APISERVER", "REVIEW-PROXY"}
		expectOnly(t, rep, "HEADLAMP-API-LIVE", "fail", also, `expected audience "kubernetes"`, "REVIEW-PROXY rank")
		expectOnly(t, rep, "REVIEW-PROXY", "fail", append(also, "HEADLAMP-API-LIVE"), "cannot authenticate the token", "1. audience not accepted")
	})
	t.Run("capsule-proxy's CRDs missing", func(t *testing.T) {
		restore, err := sb.RemoveProxyCRDs(t.Context())
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		rep, r := run(t, auth...)
		expectExit(t, r, 1)
		expectOnly(t, rep, "PROXY-CRDS", "fail", nil, "ProxySetting and GlobalProxySettings not served", "Install capsule-proxy's CRDs")
		if o := rep.byID()["PROXY-ENDPOINTS"]; o.Status != "skip" || !strings.Contains(o.Message, "PROXY-CRDS") {
			t.Errorf("PROXY-ENDPOINTS = %s %q, want skipped after PROXY-CRDS", o.Status, o.Message)
		}
	})
}

// expectHop checks one hop of the sign-in chain: its verdict and the start of its note.
func expectHop(t *testing.T, rep doctorReport, from, to, status, note string) {
	t.Helper()
	for _, h := range rep.Chain {
		if h.From == from && h.To == to {
			if h.Status != status || !strings.HasPrefix(h.Note, note) {
				t.Errorf("hop %s -> %s: %s %q, want %s %q...", from, to, h.Status, h.Note, status, note)
			}
			return
		}
	}
	t.Errorf("no hop %s -> %s in the chain", from, to)
}

// setOIDCConfig sets a key of Headlamp's OIDC ConfigMap and restarts Headlamp (which reads it at start),
// putting both back at cleanup.
func setOIDCConfig(t *testing.T, key, value string) {
	t.Helper()
	ns, name := stack.CapsuleNamespace, "headlamp-oidc"
	cms := sb.Kube().CoreV1().ConfigMaps(ns)
	set := func(ctx context.Context, v string) error {
		return retry.RetryOnConflict(retry.DefaultRetry, func() error {
			cm, err := cms.Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			cm.Data[key] = v
			_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
			return err
		})
	}
	cm, err := cms.Get(t.Context(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before := cm.Data[key]
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := set(ctx, before); err != nil {
			t.Errorf("restore %s/%s %s: %v", ns, name, key, err)
			return
		}
		if err := restartAndWait(ctx, ns, "headlamp"); err != nil {
			t.Errorf("restart Headlamp after restoring %s: %v", key, err)
		}
	})
	if err := set(t.Context(), value); err != nil {
		t.Fatal(err)
	}
	restartDeployment(t, ns, "headlamp")
}

// restartAndWait does what kubectl rollout restart does and waits for the rollout, within ctx (for cleanups).
func restartAndWait(ctx context.Context, ns, name string) error {
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":%q}}}}}`,
		time.Now().Format(time.RFC3339Nano))
	if _, err := sb.Kube().AppsV1().Deployments(ns).Patch(ctx, name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		return err
	}
	for {
		err := sb.RolledOut(ctx, ns, name)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func dropEnv(env []corev1.EnvVar, name string) []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, e := range env {
		if e.Name != name {
			out = append(out, e)
		}
	}
	return out
}
