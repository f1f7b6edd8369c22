package stack

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
	"sigs.k8s.io/yaml"
)

// HeadlampRedirectURIs are the callback URLs registered for the headlamp client: 8080 is the plugin's
// `login` default local port; headlamp.e2e.example is the host of the e2e tests' installs reached from
// outside (an HTTPRoute on an HTTP listener, an Ingress with TLS), registered as their administrator would.
var HeadlampRedirectURIs = []string{"http://localhost:8080/oidc-callback", "http://127.0.0.1:8080/oidc-callback",
	"http://headlamp.e2e.example/oidc-callback", "https://headlamp.e2e.example/oidc-callback"}

// KubernetesRedirectURIs are loopback callbacks for the public client (kubelogin's defaults).
var KubernetesRedirectURIs = []string{"http://localhost:8000", "http://localhost:18000", "http://127.0.0.1:8000"}

// DexSettings are the Dex options a test can change; the zero value is the sandbox's healthy Dex.
type DexSettings struct {
	// IDTokenLifetime is how long ID tokens are valid (expiry.idTokens); 0 keeps Dex's 24 hours.
	IDTokenLifetime time.Duration
	// NoRefreshGrant leaves refresh_token out of oauth2.grantTypes: Dex no longer lists it in its
	// discovery document and answers a refresh request with unsupported_grant_type, although the
	// code exchange still hands out a refresh token for offline_access.
	NoRefreshGrant bool
	// RefreshTokenLifetime ends refresh tokens that long after the sign-in
	// (expiry.refreshTokens.absoluteLifetime); 0 keeps them valid.
	RefreshTokenLifetime time.Duration
}

// grantTypes are the grants Dex v2.45 supports with a password connector, except refresh_token.
var grantTypesWithoutRefresh = []string{"authorization_code", "password",
	"urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"}

// writeDexConfig renders Dex's configuration (mode 0600: it holds the client secret).
func writeDexConfig(l Layout, secret string, ds DexSettings) error {
	var users []map[string]any
	for _, u := range Users() {
		hash, err := bcrypt.GenerateFromPassword([]byte(u.Password), bcrypt.DefaultCost) // Dex refuses cheaper hashes
		if err != nil {
			return fmt.Errorf("hash password: %w", err)
		}
		users = append(users, map[string]any{
			"email": u.Email, "hash": string(hash), "username": u.Email, "userID": u.Email, "groups": u.Groups,
		})
	}
	cfg := map[string]any{
		"issuer": IssuerURL,
		// sqlite (not memory) so that the signing keys survive a restart of Dex: the API server
		// does not pick up new keys, and tokens issued before a restart should stay valid.
		"storage": map[string]any{"type": "sqlite3", "config": map[string]any{"file": l.Path("dex", "dex.db")}},
		"web": map[string]any{
			"https": Host + ":" + strconv.Itoa(DexPort), "tlsCert": l.PKI("dex.crt"), "tlsKey": l.PKI("dex.key"),
		},
		"enablePasswordDB": true,
		"oauth2":           map[string]any{"skipApprovalScreen": true, "passwordConnector": "local"},
		"staticPasswords":  users,
		"staticClients": []map[string]any{
			{"id": HeadlampClientID, "name": "Headlamp", "secret": secret, "redirectURIs": HeadlampRedirectURIs},
			{"id": KubernetesClientID, "name": "kubectl", "public": true, "redirectURIs": KubernetesRedirectURIs},
		},
		"logger": map[string]any{"level": "info"},
	}
	expiry := map[string]any{}
	if ds.IDTokenLifetime > 0 {
		expiry["idTokens"] = ds.IDTokenLifetime.String()
	}
	if ds.RefreshTokenLifetime > 0 {
		expiry["refreshTokens"] = map[string]any{"absoluteLifetime": ds.RefreshTokenLifetime.String()}
	}
	if len(expiry) > 0 {
		cfg["expiry"] = expiry
	}
	if ds.NoRefreshGrant {
		cfg["oauth2"].(map[string]any)["grantTypes"] = grantTypesWithoutRefresh
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encode dex config: %w", err)
	}
	if err := os.WriteFile(l.Path("dex", "config.yaml"), data, 0o600); err != nil {
		return fmt.Errorf("write dex config: %w", err)
	}
	return nil
}

// oidcClient is an HTTP client trusting only the OIDC CA.
func oidcClient(l Layout) (*http.Client, error) {
	return caClient(l.PKI("oidc-ca.crt"))
}

func caClient(caFile string) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}, nil
}
