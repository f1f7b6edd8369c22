package e2e

import (
	"encoding/json"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestHostileInputsOnAnInstall: the rows of issue 15 that need Headlamp installed. -v at the levels
// that log headers and bodies never shows a token or the client secret (install applies it, doctor
// reads it back); uninstall's server dry run lists the objects like the client's, and -o without a
// dry run deletes nothing; a capsule-proxy that never answers fails a --fail-on unknown gate.
func TestHostileInputsOnAnInstall(t *testing.T) {
	ns := stack.CapsuleNamespace
	uninstallAtCleanup(t, ns)
	install := runAsAdmin(t, append(installArgs(ns), "-v=8")...) // runAsAdmin: no client secret in any output
	mustSucceed(t, install)
	mustContain(t, "install -v=8 stderr", install.Stderr, `"Request Body" body="[`, "not logged: bodies can hold credentials")
	installed := oursIn(t, ns)

	t.Run("uninstall --dry-run=server lists the objects", func(t *testing.T) {
		names := runAsAdmin(t, "uninstall", "--dry-run=server", "-o", "name")
		expectExit(t, names, 0)
		listed := strings.Fields(names.Stdout) // kind.group/name, as kubectl prints them
		for obj := range installed {
			kind, name, _ := strings.Cut(obj, "/")
			if !slices.ContainsFunc(listed, func(l string) bool { return strings.HasPrefix(l, kind) && strings.HasSuffix(l, "/"+name) }) {
				t.Errorf("-o name does not list %s:\n%s", obj, names.Stdout)
			}
		}
		if len(listed) != len(installed) {
			t.Errorf("-o name lists %d objects, %d are installed:\n%s", len(listed), len(installed), names.Stdout)
		}
		js := runAsAdmin(t, "uninstall", "--dry-run=server", "-o", "json")
		var refs []map[string]any
		if err := json.Unmarshal([]byte(js.Stdout), &refs); err != nil || len(refs) != len(installed) {
			t.Errorf("-o json: %v, %d objects for %d installed:\n%s", err, len(refs), len(installed), js.Stdout)
		}
		refused := runAsAdmin(t, "uninstall", "-o", "name")
		expectExit(t, refused, 2)
		if left := oursIn(t, ns); len(left) != len(installed) {
			t.Errorf("uninstall -o name without a dry run changed %v into %v", installed, left)
		}
	})
	t.Run("doctor -v=10 with a user's token", func(t *testing.T) {
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		_, run := doctorRun(t, nil, adminEnv(), "--token-file", file, "-v=10") // doctorRun: no client secret
		assertNoSecret(t, run, tok)
		mustContain(t, "stderr", run.Stderr, "Authorization: Bearer <masked>", "not logged: bodies can hold credentials")
	})
	t.Run("a token in the kubeconfig at -v=9", func(t *testing.T) {
		_, tok := userToken(t, stack.Alice.Email, stack.KubernetesClientID, nil)
		run := runPlugin(t, nil, []string{"KUBECONFIG=" + tokenKubeconfig(t, tok)}, "version", "-v=9")
		expectExit(t, run, 0)
		assertNoSecret(t, run, tok)
		mustContain(t, "stderr", run.Stderr, "curl -v -XGET", `-H "Authorization: Bearer <masked>"`)
		flag := runPlugin(t, nil, adminEnv(), "version", "-v=9", "--token", tok)
		assertNoSecret(t, flag, tok)
	})
	t.Run("a silent capsule-proxy fails a --fail-on unknown gate", func(t *testing.T) {
		ln, err := net.Listen("tcp4", "127.0.0.1:0") // accepts, never answers
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ln.Close() })
		file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		args := []string{"--token-file", file, "--proxy-address", ln.Addr().String(), "--check", "REVIEW-PROXY", "--check-timeout", "3s"}
		rep, lenient := doctorRun(t, nil, adminEnv(), args...)
		assertNoSecret(t, lenient, tok)
		if o := rep.byID()["REVIEW-PROXY"]; o.Status != "unknown" {
			t.Fatalf("REVIEW-PROXY through a silent proxy = %s %q, want unknown", o.Status, o.Message)
		}
		expectExit(t, lenient, 0)
		_, strict := doctorRun(t, nil, adminEnv(), append(args, "--fail-on", "unknown")...)
		expectExit(t, strict, 1)
	})
}

// tokenKubeconfig writes a kubeconfig for the sandbox's API server whose user is a bearer token.
func tokenKubeconfig(t *testing.T, token string) string {
	t.Helper()
	admin := sb.AdminConfig()
	cfg := clientcmdapi.NewConfig()
	cluster := &clientcmdapi.Cluster{Server: admin.Host, CertificateAuthorityData: admin.CAData}
	if len(admin.CAData) == 0 {
		cluster.CertificateAuthority = admin.CAFile
	}
	cfg.Clusters["sandbox"] = cluster
	cfg.AuthInfos["user"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["sandbox"] = &clientcmdapi.Context{Cluster: "sandbox", AuthInfo: "user"}
	cfg.CurrentContext = "sandbox"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path
}
