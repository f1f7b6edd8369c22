// Package headlamp is a stand-in for the Headlamp backend, which no registry serves. It runs on the
// host and KWOK forwards Headlamp pods' port 4466 to it. It resolves its settings from the Headlamp
// Deployment at request time (args, HEADLAMP_CONFIG_* env, Secret references) and reproduces only
// what the plugin observes: GET /config, GET /, the OIDC redirect (/oidc) and the code exchange
// (/oidc-callback). It knows nothing about the plugin.
package headlamp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
)

// Config configures the stand-in.
type Config struct {
	Addr string               // listen address, e.g. 127.0.0.1:14466
	Kube kubernetes.Interface // reads the Headlamp Deployment and its Secrets
	// IdP makes the calls to the identity provider. The real container trusts its system roots (plus
	// SSL_CERT_DIR or -oidc-ca-file); the stand-in cannot read the pod's files, so the caller decides.
	IDP *http.Client
}

// Server is a running stand-in.
type Server struct {
	cfg    Config
	server *http.Server
	mu     sync.Mutex
	states map[string]pending
}

// pending is an authorization request waiting for its callback.
type pending struct {
	redirectURI string
	created     time.Time
}

// Start listens on cfg.Addr and serves until Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s := &Server{cfg: cfg, states: map[string]pending{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /config", s.config)
	mux.HandleFunc("GET /oidc", s.oidc)
	mux.HandleFunc("GET /oidc-callback", s.callback)
	mux.HandleFunc("GET /{$}", s.index)
	s.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.server.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.server.Close() }

func (s *Server) settings(w http.ResponseWriter, r *http.Request) (Settings, bool) {
	st, err := Resolve(r.Context(), s.cfg.Kube)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, ErrNoDeployment) {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, err.Error(), code)
		return Settings{}, false
	}
	return st, true
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.settings(w, r); !ok {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><title>Headlamp</title><p>Headlamp (sandbox stand-in)</p>\n")
}

type clusterJSON struct {
	Name     string `json:"name"`
	Server   string `json:"server"`
	AuthType string `json:"auth_type"`
}

func (s *Server) config(w http.ResponseWriter, r *http.Request) {
	st, ok := s.settings(w, r)
	if !ok {
		return
	}
	var clusters []clusterJSON
	if st.Get("in-cluster", "false") == "true" {
		c := clusterJSON{Name: st.Cluster(), Server: serverURL(st.Env)}
		if st.OIDC() {
			c.AuthType = "oidc"
		}
		clusters = append(clusters, c)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"clusters": clusters, "isDynamicClusterEnabled": false})
}

// serverURL is what rest.InClusterConfig would use as host.
func serverURL(env map[string]string) string {
	host, port := env["KUBERNETES_SERVICE_HOST"], env["KUBERNETES_SERVICE_PORT"]
	if host == "" {
		return "https://kubernetes.default.svc"
	}
	if port == "" {
		port = "443"
	}
	return "https://" + net.JoinHostPort(host, port)
}

// redirectURI follows Headlamp: the configured callback URL, else the request's scheme (TLS, then
// X-Forwarded-Proto, else http) and Host, plus the base URL.
func redirectURI(st Settings, r *http.Request) string {
	if cb := st.Get("oidc-callback-url", ""); cb != "" {
		return cb
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(st.Get("base-url", ""), "/") + "/oidc-callback"
}

func page(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<!doctype html><title>Headlamp</title><p>%s</p>\n", html.EscapeString(msg))
}

func (s *Server) remember(state string, p pending) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.states {
		if time.Since(v.created) > time.Hour {
			delete(s.states, k)
		}
	}
	s.states[state] = p
}

func (s *Server) take(state string) (pending, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.states[state]
	delete(s.states, state)
	return p, ok
}
