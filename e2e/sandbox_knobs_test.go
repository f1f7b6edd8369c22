package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// discoveryGrants are the grant types Dex's discovery document lists.
func discoveryGrants(t *testing.T) []string {
	t.Helper()
	code, body := get(t, oidcBrowser(t), stack.IssuerURL+"/.well-known/openid-configuration")
	var d struct {
		Grants []string `json:"grant_types_supported"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil {
		t.Fatalf("Dex's discovery document: %d %s", code, body)
	}
	return d.Grants
}

// claims decodes a JWT's payload (the sandbox's own tokens; nothing is verified here).
func claims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err != nil || json.Unmarshal(b, &c) != nil {
		t.Fatalf("decode the token's claims: %v", err)
	}
	return c
}

func TestKnobDexRefresh(t *testing.T) {
	tok, err := sb.Tokens(t.Context(), stack.Alice.Email, stack.HeadlampClientID, nil)
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("healthy Dex with offline_access: refresh token present %v, %v", tok.RefreshToken != "", err)
	}
	if _, err := sb.Refresh(t.Context(), stack.HeadlampClientID, tok.RefreshToken); err != nil {
		t.Errorf("refresh with Headlamp's client: %v", err)
	}
	if !slices.Contains(discoveryGrants(t), "refresh_token") {
		t.Errorf("healthy Dex does not list refresh_token: %v", discoveryGrants(t))
	}

	t.Run("without the refresh grant", func(t *testing.T) {
		restore, err := sb.RestartDexWith(t.Context(), stack.DexSettings{NoRefreshGrant: true})
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		if grants := discoveryGrants(t); slices.Contains(grants, "refresh_token") || !slices.Contains(grants, "authorization_code") {
			t.Errorf("grant_types_supported %v, want no refresh_token", grants)
		}
		tok, err := sb.Tokens(t.Context(), stack.Alice.Email, stack.HeadlampClientID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sb.Refresh(t.Context(), stack.HeadlampClientID, tok.RefreshToken); err == nil || !strings.Contains(err.Error(), "unsupported_grant_type") {
			t.Errorf("refresh without the grant: %v, want unsupported_grant_type", err)
		}
	})

	t.Run("short lifetimes", func(t *testing.T) {
		const idTTL, refreshTTL = 30 * time.Second, 2 * time.Second
		restore, err := sb.RestartDexWith(t.Context(), stack.DexSettings{IDTokenLifetime: idTTL, RefreshTokenLifetime: refreshTTL})
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := sb.Tokens(t.Context(), stack.Alice.Email, stack.HeadlampClientID, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := claims(t, tok.IDToken)
		if exp, iat := c["exp"].(float64), c["iat"].(float64); time.Duration(exp-iat)*time.Second != idTTL {
			t.Errorf("ID token valid %v, want %v", time.Duration(exp-iat)*time.Second, idTTL)
		}
		time.Sleep(refreshTTL + time.Second) // Dex's refresh token lifetime is absolute from the sign-in
		if _, err := sb.Refresh(t.Context(), stack.HeadlampClientID, tok.RefreshToken); err == nil {
			t.Errorf("refresh after the refresh token's lifetime: accepted, want refused")
		}
	})
}

func TestKnobProxyUsernameClaim(t *testing.T) {
	t.Run("a claim the API server does not map", func(t *testing.T) {
		restore, err := sb.SetProxyUsernameClaim(t.Context(), "sub")
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := sb.Token(t.Context(), stack.Alice.Email, stack.HeadlampClientID, nil)
		if err != nil {
			t.Fatal(err)
		}
		sub, _ := claims(t, tok)["sub"].(string)
		u, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.ProxyURL)
		if err != nil || u.Username != sub || sub == stack.Alice.Email {
			t.Errorf("through the proxy reading sub: %q (%v), want alice's sub %q", u.Username, err, sub)
		}
		if direct, _ := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL); direct.Username != stack.Alice.Email {
			t.Errorf("the API server sees %q, want %s", direct.Username, stack.Alice.Email)
		}
	})
	t.Run("a claim the token lacks", func(t *testing.T) {
		restore, err := sb.SetProxyUsernameClaim(t.Context(), "nickname")
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		_, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
		req := request(t, http.MethodGet, stack.ProxyURL+"/version", "")
		req.Header.Set("Authorization", "Bearer "+tok)
		code, body := do(t, proxyClient(t), req)
		expectProxyRefusal(t, code, body, "cannot retrieve user and group", "nickname")
	})
	if u, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.ProxyURL); err != nil || u.Username != stack.Alice.Email {
		t.Errorf("through the proxy after the restores: %q %v", u.Username, err)
	}
}

func TestKnobHPA(t *testing.T) {
	restore, err := sb.CreateHPA(t.Context(), stack.CapsuleNamespace, stack.ProxyServiceName, 2, 4)
	t.Cleanup(func() {
		if err := restore(context.Background()); err != nil {
			t.Errorf("delete the HPA: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	hpa, err := sb.Kube().AutoscalingV2().HorizontalPodAutoscalers(stack.CapsuleNamespace).Get(t.Context(), stack.ProxyServiceName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ref := hpa.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.Name != stack.ProxyServiceName || *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 4 {
		t.Errorf("HPA %+v min %d max %d", ref, *hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}
}

// metricLabel returns the value of label in the first sample of metric.
func metricLabel(metrics, metric, label string) string {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(metric) + `\{[^}]*` + label + `="([^"]*)"`)
	if m := re.FindStringSubmatch(metrics); m != nil {
		return m[1]
	}
	return ""
}

// TestKnobSecondAPIServer: two API servers of one cluster, the second with another authentication
// configuration, each with its own metrics.
func TestKnobSecondAPIServer(t *testing.T) {
	restore, err := sb.StartSecondAPIServer(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
	})
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	// The authenticator fetches the IdP's keys for the first token it verifies.
	eventually(t, "the second API server accepts a kubernetes-audience token", func(ctx context.Context) error {
		_, err := sb.WhoAmI(ctx, stack.Alice.Email, stack.KubernetesClientID, stack.SecondAPIServerURL)
		return err
	})
	const configInfo = "apiserver_authentication_config_controller_last_config_info"
	const jwksFetch = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds"
	hashes := map[string]string{}
	for _, server := range []string{stack.APIServerURL, stack.SecondAPIServerURL} {
		eventually(t, "metrics of "+server, func(ctx context.Context) error {
			m, err := sb.APIServerMetrics(ctx, server)
			if err != nil {
				return err
			}
			if metricLabel(m, jwksFetch, "result") != "success" {
				return fmt.Errorf("no successful JWKS fetch in %s's metrics yet", server)
			}
			if hashes[server] = metricLabel(m, configInfo, "hash"); hashes[server] == "" {
				return errors.New("no " + configInfo + " sample")
			}
			return nil
		})
	}
	if hashes[stack.APIServerURL] == hashes[stack.SecondAPIServerURL] {
		t.Errorf("both API servers report configuration hash %s, want two", hashes[stack.APIServerURL])
	}
	_, err = sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL)
	if err != nil {
		t.Errorf("the first API server after the second started: %v", err)
	}
}
