package stack

import (
	"context"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/standin/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/standin/proxy"
)

// startStandin runs a stand-in inside this process (the test binary, or the CLI's supervisor).
func (s *Stack) startStandin(ctx context.Context, name string) error {
	var closer interface{ Close() error }
	switch name {
	case ProxyStandin:
		srv, err := proxy.Start(ctx, proxy.Config{Addr: addr(ProxyPort), Admin: s.AdminConfig(),
			Namespace: CapsuleNamespace, SecretName: ProxySecretName, ConfigName: CapsuleConfigName, Log: s.log})
		if err != nil {
			return fmt.Errorf("capsule-proxy stand-in: %w", err)
		}
		closer = srv
	case HeadlampStand:
		idp, err := oidcClient(s.layout)
		if err != nil {
			return err
		}
		srv, err := headlamp.Start(ctx, headlamp.Config{Addr: addr(HeadlampStandinPort), Kube: s.kube, IDP: idp})
		if err != nil {
			return fmt.Errorf("headlamp stand-in: %w", err)
		}
		closer = srv
	default:
		return fmt.Errorf("unknown stand-in %q", name)
	}
	s.mu.Lock()
	s.standins[name] = func() { _ = closer.Close() }
	s.mu.Unlock()
	return nil
}

func (s *Stack) stopStandin(name string) {
	s.mu.Lock()
	stop := s.standins[name]
	delete(s.standins, name)
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
}
