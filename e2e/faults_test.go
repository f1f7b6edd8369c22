package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// restoreAtEnd registers a fault's restore and fails the test if health does not come back.
func restoreAtEnd(t *testing.T, restore stack.Restore) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore: %v", err)
		}
		if _, err := sb.WhoAmI(ctx, stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL); err != nil {
			t.Errorf("alice after restore: %v", err)
		}
	})
}

func TestFaultAuthConfigSingleAudience(t *testing.T) {
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
	})
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "kubernetes-audience token accepted with audiences [kubernetes]", func(ctx context.Context) error {
		_, err := sb.WhoAmI(ctx, stack.Alice.Email, stack.KubernetesClientID, stack.APIServerURL)
		return err
	})
	_, err = sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL)
	if !apierrors.IsUnauthorized(err) {
		t.Errorf("headlamp-audience token with audiences [kubernetes]: %v, want 401", err)
	}
	// capsule-proxy passes on the reason its TokenReview gave.
	_, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	req := request(t, http.MethodGet, stack.ProxyURL+"/version", "")
	req.Header.Set("Authorization", "Bearer "+tok)
	code, body := do(t, proxyClient(t), req)
	expectProxyRefusal(t, code, body, "cannot authenticate the token due to error: ", `audience`)
}

func TestFaultAuthConfigGroupsPrefix(t *testing.T) {
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		prefix := "oidc:"
		c.JWT[0].ClaimMappings.Groups.Prefix = &prefix
	})
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	var u []string
	eventually(t, "alice accepted with prefixed groups", func(ctx context.Context) error {
		info, err := sb.WhoAmI(ctx, stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL)
		u = info.Groups
		return err
	})
	if !slices.Contains(u, "oidc:tenant-a-owners") || slices.Contains(u, "tenant-a-owners") {
		t.Errorf("groups with prefix oidc: %v, want oidc:tenant-a-owners only", u)
	}
}

func TestFaultAuthConfigWrongCA(t *testing.T) {
	proxyCA, err := os.ReadFile(sb.ProxyCAFile())
	if err != nil {
		t.Fatal(err)
	}
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		c.JWT[0].Issuer.CertificateAuthority = string(proxyCA)
	})
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	// The OIDC authenticator starts asynchronously: wait until it has met Dex's certificate.
	eventually(t, "the API server reports Dex's certificate as untrusted", func(context.Context) error {
		log, err := os.ReadFile(sb.LogFile(stack.APIServer))
		if err != nil || !strings.Contains(string(log), "certificate signed by unknown authority") {
			return errors.New("not in the API server log yet")
		}
		return nil
	})
	_, err = sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL)
	if !apierrors.IsUnauthorized(err) {
		t.Errorf("token while the API server cannot trust Dex: %v, want 401", err)
	}
}

func TestFaultAuthConfigRefusedByAPIServer(t *testing.T) {
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		c.JWT[0].Issuer.AudienceMatchPolicy = ""
	})
	restoreAtEnd(t, restore)
	if err == nil || !strings.Contains(err.Error(), "audienceMatchPolicy") {
		t.Errorf("two audiences without MatchAny: %v, want the API server's refusal with its log", err)
	}
}

func proxyCAPool(ctx context.Context, t *testing.T, key string) *x509.CertPool {
	t.Helper()
	sec, err := sb.ProxySecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(sec.Data[key]) {
		t.Fatalf("no CA under key %q of the proxy secret (keys: %v)", key, keys(sec.Data))
	}
	return pool
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// dialProxy verifies the proxy's certificate against pool for the name the plugin uses.
func dialProxy(ctx context.Context, pool *x509.CertPool) error {
	d := tls.Dialer{Config: &tls.Config{RootCAs: pool, ServerName: "capsule-proxy.capsule-system.svc"}}
	c, err := d.DialContext(ctx, "tcp", stack.ProxyURL[len("https://"):])
	if err == nil {
		_ = c.Close()
	}
	return err
}

func TestFaultProxyCertificates(t *testing.T) {
	for _, tc := range []struct {
		fault stack.ProxyCertFault
		caKey string
		want  string // substring of the verification error; "" means it verifies
	}{
		{stack.ProxyCertExpired, "ca.crt", "expired"},
		{stack.ProxyCertWrongSANs, "ca.crt", "is valid for wrong.example.com"},
		{stack.ProxyCertOtherCA, "ca.crt", "unknown authority"},
		{stack.ProxyCAUnderKeyCA, "ca", ""},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			restore, err := sb.ReplaceProxyCert(t.Context(), tc.fault)
			t.Cleanup(func() {
				ctx := context.Background() // the test's context is already cancelled in cleanups
				if err := restore(ctx); err != nil {
					t.Errorf("restore: %v", err)
				}
				if err := dialProxy(ctx, proxyCAPool(ctx, t, "ca.crt")); err != nil {
					t.Errorf("proxy certificate after restore: %v", err)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			err = dialProxy(t.Context(), proxyCAPool(t.Context(), t, tc.caKey))
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("TLS to the proxy: %v, want %q", err, tc.want)
			}
		})
	}
}

func TestFaultHungProxy(t *testing.T) {
	restore, err := sb.HangComponent(t.Context(), stack.ProxyStandin)
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 500 * time.Millisecond}
	resp, err := c.Do(request(t, http.MethodGet, stack.ProxyURL+"/_healthz", ""))
	if err == nil {
		_ = resp.Body.Close()
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("GET /_healthz on a hung proxy: %v, want a timeout", err)
	}
}

func TestFaultStopDex(t *testing.T) {
	restore := sb.StopComponent(stack.Dex)
	restoreAtEnd(t, restore)
	_, err := sb.Token(t.Context(), stack.Alice.Email, stack.HeadlampClientID, nil)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("token with dex stopped: %v, want connection refused", err)
	}
}

func TestFaultHungDex(t *testing.T) {
	restore, err := sb.HangComponent(t.Context(), stack.Dex)
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	_, err = sb.Token(ctx, stack.Alice.Email, stack.HeadlampClientID, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("token from a hung IdP: %v, want the deadline to expire", err)
	}
}
