package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// bundleFiles reads every file of a support bundle.
func bundleFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode %v (%v), want 0600", fi.Mode(), err)
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[hdr.Name] = data
	}
}

// secretForms are the ways a credential could sit in a file: as is, and a PEM key's base64 body and
// DER bytes, line by line, so that a re-encoded key is found too.
func secretForms(t *testing.T, secrets map[string][]byte) map[string][]byte {
	t.Helper()
	forms := map[string][]byte{}
	for name, s := range secrets {
		forms[name] = s
		forms[name+" (base64)"] = []byte(base64.StdEncoding.EncodeToString(s))
		if block, _ := pem.Decode(s); block != nil {
			forms[name+" (DER)"] = block.Bytes
			forms[name+" (DER base64)"] = []byte(base64.StdEncoding.EncodeToString(block.Bytes)[:64])
		}
	}
	return forms
}

// TestDoctorIdentityBundle builds a support bundle on the sandbox with alice's token and proves that
// it holds what support needs and no token, password, client secret or private key.
func TestDoctorIdentityBundle(t *testing.T) {
	installHeadlamp(t)
	file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	path := filepath.Join(t.TempDir(), "doctor.tar.gz")
	rep, run := doctorRun(t, nil, adminEnv(), "--authentication-config", authConfigFile(), "--token-file", file, "--bundle", path)
	assertNoSecret(t, run, tok)
	expectAlice(t, rep, run)
	mustContain(t, "stderr", run.Stderr, "Support bundle written to "+path)

	files := bundleFiles(t, path)
	proxy, err := sb.ProxySecret(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	secrets := secretForms(t, map[string][]byte{
		"alice's token": []byte(tok), "the client secret": []byte(headlampClientSecret(t)),
		"alice's password": []byte(stack.Alice.Password), "capsule-proxy's private key": proxy.Data["tls.key"],
	})
	var names []string
	for name, data := range files {
		names = append(names, name)
		for what, s := range secrets {
			if bytes.Contains(data, s) {
				t.Errorf("%s holds %s", name, what)
			}
		}
		if bytes.Contains(data, []byte("PRIVATE KEY")) {
			t.Errorf("%s holds a PEM private key", name)
		}
	}
	all := strings.Join(names, "\n")
	mustContain(t, "bundle", all, "report.json", "claims.json", "certificates.json", "pods.json", "events.json", "versions.json",
		"Deployment-headlamp.yaml", "Deployment-capsule-proxy.yaml", "Service-headlamp.yaml", "Service-capsule-proxy.yaml")
	const dir = "capsule-headlamp-doctor/"
	mustContain(t, "claims.json", string(files[dir+"claims.json"]), stack.Alice.Email, stack.TenantOwnerGroup, "[redacted]")
	mustContain(t, "certificates.json", string(files[dir+"certificates.json"]), "IdP chain", "sandbox-oidc-ca",
		"secret capsule-system/capsule-proxy tls.crt", "sha256")
	mustContain(t, "report.json", string(files[dir+"report.json"]), `"schemaVersion": 1`, `"chain"`, "REVIEW-APISERVER")
}
