package headlamp

import (
	"crypto/x509"
	"strings"
)

// Where Go looks for the system roots on Linux (crypto/x509), unless SSL_CERT_FILE or SSL_CERT_DIR
// say otherwise. The image's own bundle holds public CAs only, none of which signs anything in the
// sandbox, so only files mounted over these paths count.
var (
	systemCertFiles = []string{
		"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem",
		"/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem",
	}
	systemCertDirs = []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}
)

// serviceAccountDir is where rest.InClusterConfig reads ca.crt.
const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

// systemRoots is the pool Go builds for the container: the first readable bundle file (SSL_CERT_FILE
// replaces the list), plus every file of the certificate folders (SSL_CERT_DIR, colon separated,
// replaces them).
func systemRoots(f files, env map[string]string) *x509.CertPool {
	pool := x509.NewCertPool()
	certFiles := systemCertFiles
	if v := env["SSL_CERT_FILE"]; v != "" {
		certFiles = []string{v}
	}
	for _, name := range certFiles {
		if data, ok := f.file(name); ok {
			pool.AppendCertsFromPEM(data)
			break
		}
	}
	dirs := systemCertDirs
	if v := env["SSL_CERT_DIR"]; v != "" {
		dirs = strings.Split(v, ":")
	}
	for _, d := range dirs {
		for _, data := range f.dir(d) {
			pool.AppendCertsFromPEM(data)
		}
	}
	return pool
}

// apiRoots is what rest.InClusterConfig trusts for the API endpoint: ca.crt of the service account
// folder, read once; without it, the system roots.
func apiRoots(f files, env map[string]string) *x509.CertPool {
	if data, ok := f.file(serviceAccountDir + "/ca.crt"); ok {
		pool := x509.NewCertPool()
		if pool.AppendCertsFromPEM(data) {
			return pool
		}
	}
	return systemRoots(f, env)
}

// idpTrust is what Headlamp's OIDC client trusts: -oidc-ca-file alone when set (an unreadable file
// trusts nothing), else the system roots. insecure is -oidc-skip-tls-verify, or -insecure-ssl
// (which 0.45 applies to the login handler's client only).
func idpTrust(f files, st Settings) (pool *x509.CertPool, insecure bool) {
	insecure = st.Get("oidc-skip-tls-verify", "false") == "true" || st.Get("insecure-ssl", "false") == "true"
	if caFile := st.Get("oidc-ca-file", ""); caFile != "" {
		pool = x509.NewCertPool()
		if data, ok := f.file(caFile); ok {
			pool.AppendCertsFromPEM(data)
		}
		return pool, insecure
	}
	return systemRoots(f, st.Env), insecure
}
