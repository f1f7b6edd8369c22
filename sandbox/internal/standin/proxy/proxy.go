// Package proxy is a stand-in for capsule-proxy, which no registry serves. It does what the plugin can
// observe of the real one: HTTPS on :9001 with the certificate from Secret capsule-system/capsule-proxy
// (reloaded when it changes), GET /_healthz answering "ok", bearer tokens checked with a TokenReview,
// requests forwarded with impersonation of the reviewed identity, and GET /api/v1/namespaces filtered to
// the tenants a Capsule user owns. Nothing else of capsule-proxy is reproduced.
package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
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
	Log        io.Writer
}

// Server is a running stand-in.
type Server struct {
	cfg    Config
	kube   kubernetes.Interface
	dyn    dynamic.Interface
	api    *url.URL
	certs  *certSource
	server *http.Server
	rp     *httputil.ReverseProxy
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
	s := &Server{cfg: cfg, kube: kube, dyn: dyn, api: api,
		certs: &certSource{kube: kube, namespace: cfg.Namespace, name: cfg.SecretName}}
	s.rp = &httputil.ReverseProxy{Transport: tr, FlushInterval: -1, Rewrite: s.rewrite, ErrorLog: nil}
	if _, err := s.certs.current(ctx); err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.server = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{GetCertificate: s.certs.getCertificate, MinVersion: tls.VersionTLS12}}
	go func() { _ = s.server.ServeTLS(ln, "", "") }()
	return s, nil
}

// Close stops listening and drops open connections.
func (s *Server) Close() error { return s.server.Close() }

// ServeHTTP authenticates, then filters or forwards.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_healthz" {
		_, _ = io.WriteString(w, "ok")
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		writeStatus(w, http.StatusUnauthorized, "missing bearer token")
		return
	}
	user, err := s.review(r.Context(), token)
	if err != nil {
		writeStatus(w, http.StatusUnauthorized, "token rejected by the API server")
		return
	}
	r = r.WithContext(withUser(r.Context(), user))
	if r.Method == http.MethodGet && strings.TrimSuffix(r.URL.Path, "/") == "/api/v1/namespaces" {
		if owned, capsuleUser, err := s.ownedTenants(r.Context(), user); err == nil && capsuleUser {
			s.forwardNamespaceList(w, r, owned)
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
		return authv1.UserInfo{}, errors.New("not authenticated")
	}
	return tr.Status.User, nil
}
