package stack

import (
	"context"
	"fmt"
	"net"
	"sync"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
)

// Restore brings the sandbox back to health after a fault.
type Restore func(ctx context.Context) error

// RestartAPIServerWithAuth restarts kube-apiserver with the healthy AuthenticationConfiguration
// changed by mutate (one audience, a groups prefix, a wrong CA, ...). A configuration the API server
// refuses is reported as an error carrying its log; restore is usable either way. After each restart
// that succeeds, the fault's and the restore's, the cluster is settled (see settle); the restore
// also waits until alice's token is accepted again.
func (s *Stack) RestartAPIServerWithAuth(ctx context.Context, mutate func(*apiserverv1.AuthenticationConfiguration)) (Restore, error) {
	cfg, err := healthyAuthConfig(s.layout)
	if err != nil {
		return nil, err
	}
	mutate(&cfg)
	restore := func(ctx context.Context) error {
		healthy, err := healthyAuthConfig(s.layout)
		if err != nil {
			return err
		}
		return s.restartAPIServer(ctx, healthy, true)
	}
	return restore, s.restartAPIServer(ctx, cfg, false)
}

func (s *Stack) restartAPIServer(ctx context.Context, cfg apiserverv1.AuthenticationConfiguration, waitLogin bool) error {
	s.stopComponent(APIServer)
	if err := writeAuthConfig(s.layout, cfg); err != nil {
		return err
	}
	if err := s.StartComponent(ctx, APIServer); err != nil {
		return err
	}
	if err := s.settle(ctx); err != nil {
		return err
	}
	if !waitLogin {
		return nil
	}
	return s.waitTokenAccepted(ctx)
}

// StopComponent stops one component (a process or a stand-in) and returns how to start it again.
func (s *Stack) StopComponent(name string) Restore {
	s.stopComponent(name)
	return func(ctx context.Context) error {
		if err := s.StartComponent(ctx, name); err != nil {
			return err
		}
		if name == APIServer {
			if err := s.settle(ctx); err != nil {
				return err
			}
		}
		if name == APIServer || name == Dex {
			return s.waitTokenAccepted(ctx)
		}
		return nil
	}
}

// Hung accepts TCP connections and never answers: a stand-in for a hung peer.
type Hung struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	done  chan struct{}
}

// ListenHung starts a hung peer on addr (e.g. "127.0.0.1:0"). Close releases it and its connections.
func ListenHung(ctx context.Context, addr string) (*Hung, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	h := &Hung{ln: ln, done: make(chan struct{})}
	go h.accept()
	return h, nil
}

func (h *Hung) accept() {
	defer close(h.done)
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		h.conns = append(h.conns, c) // held open, never read or written
		h.mu.Unlock()
	}
}

// Addr is the listening address.
func (h *Hung) Addr() string { return h.ln.Addr().String() }

// Close stops listening and closes every accepted connection.
func (h *Hung) Close() error {
	err := h.ln.Close()
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		_ = c.Close()
	}
	return err
}

// HangComponent replaces a component (e.g. ProxyStandin or Dex) by a hung peer on its port; for
// HeadlampStand, every running Headlamp container.
func (s *Stack) HangComponent(ctx context.Context, name string) (Restore, error) {
	if name == HeadlampStand {
		return s.hangHeadlamps(ctx)
	}
	port := map[string]int{ProxyStandin: ProxyPort, Dex: DexPort, APIServer: APIServerPort}[name]
	if port == 0 {
		return nil, fmt.Errorf("no hung stand-in for %s", name)
	}
	start := s.StopComponent(name)
	h, err := ListenHung(ctx, addr(port))
	if err != nil {
		return start, err
	}
	return func(ctx context.Context) error {
		_ = h.Close()
		return start(ctx)
	}, nil
}
