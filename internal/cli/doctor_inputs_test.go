package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// TestDoctorBadInputs: a file doctor cannot use is a usage error naming its flag, before any check
// runs (no report on stdout), even against a cluster that does not answer.
func TestDoctorBadInputs(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, empty, notPEM := file("token", "a.b.c\n"), file("empty", "\n"), file("hostname", "sandbox\n")
	folderTarGz := filepath.Join(dir, "folder.tar.gz")
	if err := os.Mkdir(folderTarGz, 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		flag string // named in the error
	}{
		{"missing token file", []string{"--token-file", "/nope"}, "--token-file"},
		{"token file is a folder", []string{"--token-file", dir}, "--token-file"},
		{"empty token file", []string{"--token-file", empty}, "--token-file"},
		{"token file of a byte-order mark", []string{"--token-file", file("bom", "\ufeff\r\n")}, "--token-file: file " + dir + "/bom is empty or holds only white space"},
		{"client secret of white space", []string{"--oidc-client-secret-file", file("blank", " \t\n")}, "write the client secret into it"},
		{"token file over the limit", []string{"--token-file", file("large", strings.Repeat("a", 64<<10+1))}, "larger than 64 KiB"},
		{"missing password file", []string{"--username", "a", "--password-file", "/nope"}, "--password-file"},
		{"no terminal for the password", []string{"--username", "a"}, "--password-file"},
		{"missing authentication config", []string{"--authentication-config", "/nope"}, "--authentication-config"},
		{"missing IdP CA", []string{"--oidc-ca-file", "/nope"}, "--oidc-ca-file"},
		{"IdP CA without a certificate", []string{"--oidc-ca-file", notPEM}, "holds no PEM certificate"},
		{"missing client secret file", []string{"--oidc-client-secret-file", "/nope"}, "--oidc-client-secret-file"},
		{"bundle in a missing folder", []string{"--bundle", "/nodir/x.tar.gz"}, "--bundle"},
		{"bundle is a folder", []string{"--bundle", folderTarGz}, "--bundle"},
		{"proxy address without a port", []string{"--proxy-address", "bogus"}, "--proxy-address"},
		{"proxy address with a bad port", []string{"--proxy-address", "proxy:http"}, "--proxy-address"},
		{"proxy address with user info", []string{"--proxy-address", "user:s3cret@proxy:9001"}, "--proxy-address: give host:port alone"},
		{"proxy address as a URL", []string{"--proxy-address", "https://proxy:9001"}, "--proxy-address: give host:port alone"},
	}
	kubeconfig := "--kubeconfig=" + emptyKubeconfig(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, append([]string{"doctor", kubeconfig, "-o", "short"}, tc.args...)...)
			if code != ExitUsage || stdout != "" || !strings.Contains(stderr, tc.flag) || strings.Contains(stderr, "s3cret") {
				t.Errorf("exit %d, want %d naming %s before any check\nstdout: %s\nstderr: %s", code, ExitUsage, tc.flag, stdout, stderr)
			}
		})
	}
	t.Run("good files are accepted", func(t *testing.T) {
		ca := file("ca.pem", string(trusttest.NewCA(t, "idp-ca").CertPEM()))
		args := []string{"doctor", kubeconfig, "--server", "https://127.0.0.1:1", "--timeout", "2s", "-o", "short", "--token-file", good, "--oidc-ca-file", ca,
			"--bundle", filepath.Join(dir, "b.tar.gz"), "--proxy-address", "127.0.0.1:9001"}
		if code, _, stderr := run(t, nil, args...); code == ExitUsage {
			t.Errorf("usage error for good inputs: %s", stderr)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".doctor-bundle-*")); len(leftovers) > 0 {
			t.Errorf("the bundle folder check left %v", leftovers)
		}
	})
}
