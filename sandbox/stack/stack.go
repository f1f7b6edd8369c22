// Package stack runs the sandbox: etcd, Dex, kube-apiserver, kube-controller-manager, kube-scheduler,
// KWOK, the Capsule controller and the capsule-proxy and Headlamp stand-ins, all on 127.0.0.1. Tests
// start it once per test binary (see RunTests); the sandbox CLI runs it detached.
package stack

import (
	"fmt"
	"io"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/build"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/podlog"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
)

// Options configure Start.
type Options struct {
	StateDir string          // created if missing; holds PKI, configs, logs, kubeconfigs
	Log      io.Writer       // progress lines
	Bins     build.Installed // built components; nil: build (or find in the cache) first
}

// Stack is a running sandbox (or, from Attach, a handle on one run by another process).
type Stack struct {
	layout   Layout
	log      io.Writer
	bins     build.Installed
	mu       sync.Mutex
	procs    map[string]*proc.Process
	standins map[string]func()
	proxy    proxyState
	runtime  *podRuntime
	// proxyLogW is the capsule-proxy stand-in's container log.
	proxyLogW *podlog.Writer
	admin     *rest.Config
	kube      kubernetes.Interface
	dyn       dynamic.Interface
	mapper    meta.ResettableRESTMapper
}

// Attach returns a handle on the sandbox whose state lives in stateDir, without starting anything:
// enough for tokens, kubeconfigs and clients.
func Attach(stateDir string, log io.Writer) (*Stack, error) {
	s := &Stack{layout: Layout{Dir: stateDir}, log: log, procs: map[string]*proc.Process{}, standins: map[string]func(){}}
	if err := s.connect(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Stack) connect() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", s.layout.AdminKubeconfig())
	if err != nil {
		return fmt.Errorf("load the sandbox admin kubeconfig (is the sandbox up?): %w", err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	if s.kube, err = kubernetes.NewForConfig(cfg); err != nil {
		return fmt.Errorf("build kubernetes client: %w", err)
	}
	if s.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return fmt.Errorf("build dynamic client: %w", err)
	}
	s.admin, s.mapper = cfg, nil
	return nil
}

// StateDir is the sandbox's state folder.
func (s *Stack) StateDir() string { return s.layout.Dir }

// AdminKubeconfig is the path of the cluster-admin kubeconfig.
func (s *Stack) AdminKubeconfig() string { return s.layout.AdminKubeconfig() }

// AdminConfig returns a copy of the cluster-admin REST config.
func (s *Stack) AdminConfig() *rest.Config { return rest.CopyConfig(s.admin) }

// Kube is a cluster-admin clientset.
func (s *Stack) Kube() kubernetes.Interface { return s.kube }

// Dynamic is a cluster-admin dynamic client.
func (s *Stack) Dynamic() dynamic.Interface { return s.dyn }

// AuthConfigFile is the AuthenticationConfiguration the API server runs with (RestartAPIServerWithAuth
// rewrites it while a fault lasts).
func (s *Stack) AuthConfigFile() string { return s.layout.AuthConfig() }

// ClusterCAFile is the cluster CA (API server serving certificate).
func (s *Stack) ClusterCAFile() string { return s.layout.PKI("cluster-ca.crt") }

// OIDCCAFile is the CA of Dex's serving certificate.
func (s *Stack) OIDCCAFile() string { return s.layout.PKI("oidc-ca.crt") }

// ProxyCAFile is the CA of the capsule-proxy serving certificate.
func (s *Stack) ProxyCAFile() string { return s.layout.PKI("proxy-ca.crt") }

// ClientSecretFile is the 0600 file holding the headlamp client secret.
func (s *Stack) ClientSecretFile() string { return s.layout.ClientSecretFile() }

// LogFile is the log of a component.
func (s *Stack) LogFile(component string) string { return s.layout.Log(component) }

// KubectlPath is the kubectl built with the sandbox.
func (s *Stack) KubectlPath() string { return s.bins.Bin("kubernetes", "kubectl") }

func (s *Stack) progress(format string, args ...any) {
	if s.log != nil {
		fmt.Fprintf(s.log, "sandbox: "+format+"\n", args...)
	}
}

// timed runs step and prints how long it took: start-up time is part of the sandbox's contract.
func (s *Stack) timed(what string, step func() error) error {
	start := time.Now()
	if err := step(); err != nil {
		return err
	}
	s.progress("%-24s ready in %s", what, time.Since(start).Round(10*time.Millisecond))
	return nil
}

// runningProcs returns a snapshot of the started processes.
func (s *Stack) runningProcs() map[string]*proc.Process {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]*proc.Process, len(s.procs))
	for k, v := range s.procs {
		out[k] = v
	}
	return out
}
