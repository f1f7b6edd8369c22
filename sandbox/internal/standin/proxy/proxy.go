// Package proxy is a stand-in for capsule-proxy, which no registry serves. It does what the plugin can
// observe of the real one: it exits at start when the API server does not serve its own kinds
// (ProxySetting, GlobalProxySettings), HTTPS on :9001 with the certificate from Secret
// capsule-system/capsule-proxy (reloaded when it changes), GET /_healthz answering "ok", bearer tokens
// checked with a TokenReview (a caller it cannot identify gets 403 and two Status objects), requests
// forwarded with impersonation of the reviewed identity, and a Capsule user's lists of namespaces,
// tenants, nodes, storage and ingress classes answered as its modules answer them for tenants granted
// nothing more (modules.go), with Tenants and CapsuleConfigurations read from a watch like the real
// one's cache (cache.go). Nothing else of capsule-proxy is reproduced.
package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	authv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Config configures the stand-in.
type Config struct {
	Addr       string       // listen address, e.g. 127.0.0.1:9001
	Admin      *rest.Config // the credential the proxy forwards with (the real one uses its ServiceAccount)
	Namespace  string       // where the serving Secret lives
	SecretName string
	ConfigName string // CapsuleConfiguration naming the Capsule users
	// UsernameClaim is --oidc-username-claim: the claim of a JWT bearer token read as the user name
	// (UsernameClaimFromArgs); "" means the default.
	UsernameClaim string
	Log           io.Writer // the proxy's own log (its pod's log)
}

// cacheSyncTimeout bounds the first listing of Tenants and CapsuleConfigurations at start.
const cacheSyncTimeout = time.Minute

// ErrExitedAtStart is how Start reports what makes the real process exit right after it starts (the
// API server does not serve the proxy's kinds, its cache does not sync): the container is not running.
var ErrExitedAtStart = errors.New("capsule-proxy exited at start")

// Server is a running stand-in.
type Server struct {
	cfg     Config
	kube    kubernetes.Interface
	dyn     dynamic.Interface
	api     *url.URL
	certs   *certSource
	server  *http.Server
	rp      *httputil.ReverseProxy
	capsule caches
}

// Start listens on cfg.Addr and serves until Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	kube, err := kubernetes.NewForConfig(cfg.Admin)
	if err != nil {
		return nil, fmt.Errorf("build kubernetes client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg.Admin)
	if err != nil {
		return nil, fmt.Errorf("build dynamic client: %w", err)
	}
	api, err := url.Parse(cfg.Admin.Host)
	if err != nil {
		return nil, fmt.Errorf("parse API server URL: %w", err)
	}
	tr, err := rest.TransportFor(cfg.Admin)
	if err != nil {
		return nil, fmt.Errorf("build API server transport: %w", err)
	}
	logInfo(cfg.Log, "Creating the Field Indexer")
	if err := checkKinds(kube.Discovery()); err != nil {
		logError(cfg.Log, "cannot create new Field Indexer", err)
		return nil, fmt.Errorf("%w: cannot create new Field Indexer: %w", ErrExitedAtStart, err)
	}
	s := &Server{cfg: cfg, kube: kube, dyn: dyn, api: api,
		certs: &certSource{kube: kube, namespace: cfg.Namespace, name: cfg.SecretName}}
	s.rp = &httputil.ReverseProxy{Transport: tr, FlushInterval: -1, Rewrite: s.rewrite, ErrorLog: nil}
	if _, err := s.certs.current(ctx); err != nil {
		return nil, err
	}
	// The real proxy's manager exits when its cache does not sync in time; so does the stand-in.
	syncCtx, cancel := context.WithTimeout(ctx, cacheSyncTimeout)
	defer cancel()
	if err := s.Rewatch(syncCtx); err != nil {
		logError(cfg.Log, "failed to wait for caches to sync", err)
		return nil, fmt.Errorf("%w: %w", ErrExitedAtStart, err)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		s.capsule.swap(nil)
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.server = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: stdlog.New(logOrDiscard(cfg.Log), "", stdlog.LstdFlags),
		TLSConfig: &tls.Config{GetCertificate: s.certs.getCertificate, MinVersion: tls.VersionTLS12}}
	go func() { _ = s.server.ServeTLS(ln, "", "") }()
	return s, nil
}

// Close stops listening, drops open connections and stops watching.
func (s *Server) Close() error {
	s.capsule.swap(nil)
	return s.server.Close()
}

// Rewatch lists the Tenants and CapsuleConfigurations again and watches them anew, for after the API
// server restarted: a watch that lived through restarts sits in client-go's reconnect back-off, and
// meanwhile the proxy would filter with what it saw before. ctx bounds the listing; the watch lasts
// until Close.
func (s *Server) Rewatch(ctx context.Context) error {
	c, err := watchCapsule(context.WithoutCancel(ctx), ctx, s.dyn)
	if err != nil {
		return fmt.Errorf("watch tenants and capsule configurations: %w", err)
	}
	s.capsule.swap(c)
	return nil
}

// ServeHTTP authenticates, then filters or forwards.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_healthz" {
		_, _ = io.WriteString(w, "ok")
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		writeAuthFailure(w, "cannot retrieve user and group", "no authentication provider available")
		return
	}
	user, err := s.review(r.Context(), token)
	var rejected *rejectedError
	switch {
	case errors.As(err, &rejected):
		writeAuthFailure(w, "cannot authenticate the token due to error", rejected.reason)
		return
	case err != nil:
		writeStatus(w, http.StatusInternalServerError, "cannot create TokenReview: "+err.Error())
		return
	}
	// The TokenReview authenticates the token; the user name is the username claim's.
	if name, isJWT, err := claimUsername(token, s.usernameClaim()); err != nil {
		writeAuthFailure(w, "cannot retrieve user and group", err.Error())
		return
	} else if isJWT {
		user.Username = name
	}
	r = r.WithContext(withUser(r.Context(), user))
	if m, ok := moduleFor(r); ok {
		if owned, capsuleUser, err := s.ownedTenants(user); err == nil && capsuleUser {
			s.serveModule(w, r, m, owned)
			return
		} else if err != nil {
			writeStatus(w, http.StatusInternalServerError, "read Capsule configuration: "+err.Error())
			return
		}
	}
	s.rp.ServeHTTP(w, r)
}

func (s *Server) review(ctx context.Context, token string) (authv1.UserInfo, error) {
	tr, err := s.kube.AuthenticationV1().TokenReviews().Create(ctx,
		&authv1.TokenReview{Spec: authv1.TokenReviewSpec{Token: token}}, metav1.CreateOptions{})
	if err != nil {
		return authv1.UserInfo{}, err
	}
	if !tr.Status.Authenticated {
		reason := tr.Status.Error
		if reason == "" {
			reason = "token is invalid"
		}
		return authv1.UserInfo{}, &rejectedError{reason: reason}
	}
	return tr.Status.User, nil
}

// rejectedError is a token the API server did not authenticate, with the reason its TokenReview gave.
type rejectedError struct{ reason string }

func (e *rejectedError) Error() string { return "token not authenticated: " + e.reason }

func (s *Server) usernameClaim() string {
	if s.cfg.UsernameClaim == "" {
		return DefaultUsernameClaim
	}
	return s.cfg.UsernameClaim
}

// logOrDiscard is the proxy's log, where net/http reports TLS handshake errors like in the real one.
func logOrDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
