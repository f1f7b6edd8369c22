// Package headlamp is a stand-in for the Headlamp backend, which no registry serves. One Server is one
// running Headlamp container: it starts from its pod's spec (args, HEADLAMP_CONFIG_* env with Secret
// and ConfigMap references, mounted files), keeps what it read at start in memory like the real
// process (settings, the API endpoint's CA, the IdP's trust), and reproduces what the plugin observes:
// GET /config, the OIDC sign-in (/oidc, /oidc-callback), requests to /clusters/<name>/... forwarded with
// the user's token to KUBERNETES_SERVICE_HOST:PORT, and its log lines. It knows nothing about the
// plugin.
package headlamp

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// Config configures one Headlamp container.
type Config struct {
	Addr      string               // listen address, e.g. 127.0.0.1:0
	Kube      kubernetes.Interface // reads the Secrets and ConfigMaps the pod references, at start
	Pod       *corev1.Pod
	Container string // the Headlamp container's name
	// KubeletEnv is what the kubelet adds to every container (KUBERNETES_SERVICE_HOST and _PORT of
	// the kubernetes Service); the container's own env wins.
	KubeletEnv map[string]string
	// Dial connects the way the pod's network would: Service names and cluster IPs included.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	Log  io.Writer // the container's log
}

// Server is a running Headlamp container.
type Server struct {
	cfg      Config
	settings Settings
	apiURL   string         // the in-cluster context's server, "" without -in-cluster
	apiRoots *x509.CertPool // ca.crt of the service account folder as read at start
	idp      *http.Client
	cluster  http.Handler
	server   *http.Server
	ln       net.Listener
	mu       sync.Mutex
	states   map[string]pending
}

// pending is an authorization request waiting for its callback.
type pending struct {
	redirectURI string
	created     time.Time
}

// Start reads the pod as the container would at start, then listens on cfg.Addr until Close. A volume
// that cannot be mounted is a *MountError: the container does not start.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	c, ok := containerNamed(cfg.Pod, cfg.Container)
	if !ok {
		return nil, fmt.Errorf("pod %s/%s has no container %q", cfg.Pod.Namespace, cfg.Pod.Name, cfg.Container)
	}
	f, err := readFiles(ctx, cfg.Kube, cfg.Pod, c)
	if err != nil {
		return nil, err
	}
	st, err := resolve(ctx, cfg.Kube, cfg.Pod.Namespace, c, cfg.KubeletEnv)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, settings: st, states: map[string]pending{}}
	s.idp = idpClient(f, st, cfg.Dial)
	if st.InCluster() {
		s.apiURL, s.apiRoots = serverURL(st.Env), apiRoots(f, st.Env)
		s.cluster = s.clusterProxy()
		logEntry(cfg.Log, "info", [][2]string{{"context", st.Cluster()}, {"clusterURL", s.apiURL}}, "Proxy setup")
	}
	if s.ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	s.server = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: stdLogger(cfg.Log)}
	go func() { _ = s.server.Serve(s.ln) }()
	return s, nil
}

// Addr is the address the container listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the container.
func (s *Server) Close() error { return s.server.Close() }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /config", s.config)
	mux.HandleFunc("GET /oidc", s.oidc)
	mux.HandleFunc("GET /oidc-callback", s.callback)
	mux.HandleFunc("/clusters/{cluster}/", s.clusterRequest)
	mux.HandleFunc("GET /{$}", s.frontend)
	mux.HandleFunc("GET /auth", s.frontend)
	return mux
}

func containerNamed(p *corev1.Pod, name string) (corev1.Container, bool) {
	for _, c := range p.Spec.Containers {
		if c.Name == name {
			return c, true
		}
	}
	return corev1.Container{}, false
}

// serverURL is what rest.InClusterConfig uses as host.
func serverURL(env map[string]string) string {
	return "https://" + net.JoinHostPort(env["KUBERNETES_SERVICE_HOST"], env["KUBERNETES_SERVICE_PORT"])
}

// Port is the container port Headlamp listens on (-port, 4466 by default).
func (s *Server) Port() int {
	if p, err := strconv.Atoi(s.settings.Get("port", "4466")); err == nil {
		return p
	}
	return 4466
}
