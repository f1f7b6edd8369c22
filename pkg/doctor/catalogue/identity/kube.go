package identity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// ProxyEndpoint is how to reach capsule-proxy: an address (a port-forward's local end) or a dialer,
// the name its certificate must carry, and the CA Headlamp trusts it with.
type ProxyEndpoint struct {
	Address    string // host:port
	Dial       func(ctx context.Context, network, addr string) (net.Conn, error)
	ServerName string
	CAPEM      []byte
}

// KubeCluster is the IdentityCluster of a real cluster: reviews with the user's token, Capsule objects
// with the kubeconfig's credentials.
type KubeCluster struct {
	Base  *rest.Config // the kubeconfig's: API server address and CA
	proxy proxyClients
}

// capsuleTenants are Capsule's Tenants, in the version doctor reads Capsule in.
var capsuleTenants = capsule.GroupVersion.WithResource("tenants")

// ServerTime reads the Date header of the API server's answer to GET /version.
func (k *KubeCluster) ServerTime(ctx context.Context) (time.Time, error) {
	hc, err := rest.HTTPClientFor(k.Base)
	if err != nil {
		return time.Time{}, fmt.Errorf("build an HTTP client for the API server: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.Base.Host+"/version", nil)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("GET /version: %w", err)
	}
	_ = resp.Body.Close()
	t, ok := oidc.ServerTime(resp.Header, time.Now(), time.Now())
	if !ok {
		return time.Time{}, fmt.Errorf("the API server's answer has no Date header")
	}
	return t, nil
}

// tokenConfig is the API server's address and CA with the user's token as the only credential.
func (k *KubeCluster) tokenConfig(tok oidc.Secret) *rest.Config {
	cfg := rest.AnonymousClientConfig(k.Base)
	cfg.BearerToken = tok.Reveal()
	return cfg
}

// proxyConfig is capsule-proxy at ep with the user's token as the only credential, verified as
// Headlamp verifies it.
func proxyConfig(ep *ProxyEndpoint, tok oidc.Secret) (*rest.Config, error) {
	if ep == nil {
		return nil, errNoProxy
	}
	cfg := &rest.Config{Host: "https://" + ep.Address, BearerToken: tok.Reveal(), Dial: ep.Dial, Timeout: 30 * time.Second,
		TLSClientConfig: rest.TLSClientConfig{CAData: ep.CAPEM, ServerName: ep.ServerName}}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return firstStatus{rt} })
	return cfg, nil
}

// firstStatus keeps the first of the Status objects capsule-proxy writes back to back when it cannot
// identify the caller (its own 403 "cannot authenticate the token due to error: ...", then a 401), so
// that client-go decodes its reason instead of reporting "unknown".
type firstStatus struct{ next http.RoundTripper }

func (f firstStatus) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.next.RoundTrip(req)
	if err != nil || resp.StatusCode < http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	var first json.RawMessage
	if err == nil && json.NewDecoder(bytes.NewReader(body)).Decode(&first) == nil {
		body = first
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return resp, nil
}

// tokenRejectedByProxy is capsule-proxy's answer to a token it could not authenticate.
func tokenRejectedByProxy(err error) bool {
	return apierrors.IsUnauthorized(err) || apierrors.IsForbidden(err) && strings.Contains(err.Error(), "cannot authenticate the token")
}

// Review sends a SelfSubjectReview straight to the API server.
func (k *KubeCluster) Review(ctx context.Context, tok oidc.Secret) (Review, error) {
	cfg := k.tokenConfig(tok)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return Review{}, fmt.Errorf("build a client for %s: %w", cfg.Host, err)
	}
	return selfReview(ctx, cs)
}

// ProxyReview sends a SelfSubjectReview through capsule-proxy.
func (k *KubeCluster) ProxyReview(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret) (Review, error) {
	cs, err := k.proxyClientset(ep, tok)
	if err != nil {
		return Review{}, err
	}
	return selfReview(ctx, cs)
}

// proxyClientset is a clientset for capsule-proxy over the run's shared client.
func (k *KubeCluster) proxyClientset(ep *ProxyEndpoint, tok oidc.Secret) (*kubernetes.Clientset, error) {
	cfg, hc, err := k.proxy.get(ep, tok)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfigAndClient(cfg, hc)
	if err != nil {
		return nil, fmt.Errorf("build a client for %s: %w", cfg.Host, err)
	}
	return cs, nil
}

func selfReview(ctx context.Context, cs kubernetes.Interface) (Review, error) {
	r, err := cs.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return Review{}, err
	}
	u := r.Status.UserInfo
	return Review{Username: u.Username, Groups: u.Groups}, nil
}
