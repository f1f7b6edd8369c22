package stack

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
)

// A second API server, for checks that compare API servers (an HA control plane).
const (
	SecondAPIServer     = "kube-apiserver-2"
	SecondAPIServerPort = 16444
	SecondAPIServerURL  = "https://127.0.0.1:16444"
)

// StartSecondAPIServer starts another kube-apiserver on SecondAPIServerURL, on the same etcd and keys
// as the first, with the healthy AuthenticationConfiguration changed by mutate (nil: unchanged): two
// API servers of one cluster, one possibly out of step (another issuer CA, audience, or a
// configuration it never loaded). It runs in its own UTS namespace with host name SecondAPIServer, so
// that it has an identity of its own. The cluster's kubeconfigs keep pointing at the first; reach the
// second with AdminConfigFor(SecondAPIServerURL). Restore stops it.
func (s *Stack) StartSecondAPIServer(ctx context.Context, mutate func(*apiserverv1.AuthenticationConfiguration)) (Restore, error) {
	l := s.layout
	if err := os.MkdirAll(l.Path(SecondAPIServer), 0o700); err != nil {
		return nil, fmt.Errorf("create the second API server's folder: %w", err)
	}
	cfg, err := healthyAuthConfig(l)
	if err != nil {
		return nil, err
	}
	if mutate != nil {
		mutate(&cfg)
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("encode authentication config: %w", err)
	}
	authFile := l.Path(SecondAPIServer, "authentication-config.yaml")
	if err := os.WriteFile(authFile, data, 0o600); err != nil {
		return nil, fmt.Errorf("write authentication config: %w", err)
	}
	// Its own host name, as on another control-plane node: an API server's identity (its Lease in
	// kube-system, the apiserver_id_hash of its /metrics) is derived from the host name.
	args := append([]string{"--uts", "sh", "-c", `hostname "$0" && exec "$@"`, SecondAPIServer, s.bins.Bin("kubernetes", "kube-apiserver")},
		s.secondAPIServerArgs(authFile)...)
	p, err := proc.Start(proc.Spec{Name: SecondAPIServer, Path: "unshare", Args: args, LogFile: l.Log(SecondAPIServer)})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.procs[SecondAPIServer] = p
	s.mu.Unlock()
	restore := func(context.Context) error {
		s.stopComponent(SecondAPIServer)
		return nil
	}
	if err := s.writePids(); err != nil {
		return restore, err
	}
	cs, err := kubernetes.NewForConfig(s.AdminConfigFor(SecondAPIServerURL))
	if err != nil {
		return restore, err
	}
	readyCtx, cancel := context.WithTimeout(ctx, readyTimeout(APIServer))
	defer cancel()
	return restore, p.WaitReady(readyCtx, func(ctx context.Context) error {
		return cs.Discovery().RESTClient().Get().AbsPath("/readyz").Do(ctx).Error()
	})
}

// secondAPIServerArgs are the first API server's, on another port with its own configuration file.
func (s *Stack) secondAPIServerArgs(authFile string) []string {
	var args []string
	for _, a := range s.apiserverArgs() {
		switch name, _, _ := strings.Cut(a, "="); name {
		case "--secure-port":
			a = "--secure-port=" + strconv.Itoa(SecondAPIServerPort)
		case "--authentication-config":
			a = "--authentication-config=" + authFile
		case "--cert-dir":
			a = "--cert-dir=" + s.layout.Path(SecondAPIServer)
		}
		args = append(args, a)
	}
	return args
}

// AdminConfigFor is the cluster-admin REST config for another API server of the cluster (same CA and
// client certificate), such as SecondAPIServerURL.
func (s *Stack) AdminConfigFor(server string) *rest.Config {
	cfg := s.AdminConfig()
	cfg.Host = server
	return cfg
}

// APIServerMetrics is what an API server (APIServerURL or SecondAPIServerURL) answers on /metrics to
// the cluster admin: among others the JWT authenticator's JWKS fetches and key set hash per issuer,
// and the hash of the authentication configuration it loaded.
func (s *Stack) APIServerMetrics(ctx context.Context, server string) (string, error) {
	cs, err := kubernetes.NewForConfig(s.AdminConfigFor(server))
	if err != nil {
		return "", err
	}
	b, err := cs.Discovery().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return "", fmt.Errorf("GET %s/metrics: %w", server, err)
	}
	return string(b), nil
}
