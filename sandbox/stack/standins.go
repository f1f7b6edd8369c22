package stack

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/podlog"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/standin/proxy"
)

// proxyRestartDelay is how soon a capsule-proxy that exited at start is started again (the kubelet's
// first crash-loop back-off).
const proxyRestartDelay = 5 * time.Second

// proxyState is the capsule-proxy stand-in's process: serving, exited at start (and restarting), or
// stopped.
type proxyState struct {
	srv     *proxy.Server
	exitErr error
	cancel  context.CancelFunc // stops the restart loop
}

// startStandin runs a stand-in inside this process (the test binary, or the CLI's supervisor).
func (s *Stack) startStandin(ctx context.Context, name string) error {
	switch name {
	case ProxyStandin:
		return s.startProxy(ctx)
	case HeadlampStand:
		if err := s.setHeadlampsRunning(true); err != nil {
			return err
		}
		return s.waitFor(ctx, "Headlamp containers started", s.headlampsStarted)
	}
	return fmt.Errorf("unknown stand-in %q", name)
}

func (s *Stack) stopStandin(name string) {
	switch name {
	case ProxyStandin:
		s.stopProxy()
	case HeadlampStand:
		_ = s.setHeadlampsRunning(false)
	}
}

// startProxy starts the capsule-proxy stand-in. One that exits at start is restarted in the background
// until it serves, like a crash-looping container; its pods are not ready meanwhile.
func (s *Stack) startProxy(ctx context.Context) error {
	log, err := s.proxyLog()
	if err != nil {
		return err
	}
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.mu.Lock()
	s.proxy = proxyState{cancel: cancel}
	s.mu.Unlock()
	try := func() error {
		args := s.proxyArgs(loopCtx)
		srv, err := proxy.Start(loopCtx, proxy.Config{Addr: addr(ProxyPort), Admin: s.AdminConfig(),
			Namespace: CapsuleNamespace, SecretName: ProxySecretName, ConfigName: proxy.ConfigNameFromArgs(args), Log: log,
			UsernameClaim: proxy.UsernameClaimFromArgs(args)})
		s.mu.Lock()
		defer s.mu.Unlock()
		if loopCtx.Err() != nil { // stopped meanwhile
			if srv != nil {
				_ = srv.Close()
			}
			return loopCtx.Err()
		}
		s.proxy.srv, s.proxy.exitErr = srv, err
		return err
	}
	err = try()
	if err == nil || !errors.Is(err, proxy.ErrExitedAtStart) {
		return err
	}
	s.pokeRuntime()
	go func() {
		for errors.Is(err, proxy.ErrExitedAtStart) {
			select {
			case <-loopCtx.Done():
				return
			case <-time.After(proxyRestartDelay):
			}
			err = try()
		}
		s.pokeRuntime()
	}()
	return nil
}

func (s *Stack) stopProxy() {
	s.mu.Lock()
	st := s.proxy
	s.proxy = proxyState{}
	s.mu.Unlock()
	if st.cancel != nil {
		st.cancel()
	}
	if st.srv != nil {
		_ = st.srv.Close()
	}
}

// rewatchProxy renews the proxy stand-in's watch of Tenants and CapsuleConfigurations after an API
// server restart (see proxy.Server.Rewatch); a proxy that is not serving has nothing to renew.
func (s *Stack) rewatchProxy(ctx context.Context) error {
	s.mu.Lock()
	srv := s.proxy.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	if err := srv.Rewatch(ctx); err != nil {
		return fmt.Errorf("capsule-proxy stand-in: %w", err)
	}
	return nil
}

// proxyExited is the error the proxy stand-in last exited with at start, nil while it serves.
func (s *Stack) proxyExited() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proxy.exitErr
}

// proxyArgs are the capsule-proxy container's args in its Deployment, which the process reads at start.
func (s *Stack) proxyArgs(ctx context.Context) []string {
	d, err := s.kube.AppsV1().Deployments(CapsuleNamespace).Get(ctx, ProxyServiceName, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		if _, image := standinContainer(&corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{c}}}); image == imageProxy {
			return append(append([]string{}, c.Command...), c.Args...)
		}
	}
	return nil
}

// proxyLog is the capsule-proxy container's log, opened once.
func (s *Stack) proxyLog() (*podlog.Writer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proxyLogW == nil {
		w, err := podlog.Open(s.layout.Log(ProxyStandin), "stderr")
		if err != nil {
			return nil, err
		}
		s.proxyLogW = w
	}
	return s.proxyLogW, nil
}

// syncProxyPod serves the stand-in's log as the pod's and reports the stand-in's state as the pod's
// container state.
func (r *podRuntime) syncProxyPod(ctx context.Context, p *corev1.Pod, c corev1.Container) bool {
	if err := r.applyPodLogOnce(ctx, p, c.Name, r.s.layout.Log(ProxyStandin)); err != nil {
		return true
	}
	st := containerState{}
	if err := r.s.proxyExited(); err != nil {
		st = containerState{waiting: "CrashLoopBackOff",
			message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)", proxyRestartDelay, c.Name, p.Name, p.Namespace, p.UID)}
	}
	return r.setContainerState(ctx, p, c.Name, st) != nil
}
