package stack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/build"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
)

// Start builds (when not cached) and starts the whole sandbox, printing per-component start-up times.
// On failure everything already started is stopped again.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	if err := CheckPortsFree(ctx); err != nil {
		return nil, err
	}
	bins := opts.Bins
	if bins == nil {
		var err error
		if bins, err = EnsureBinaries(ctx, opts.Log); err != nil {
			return nil, err
		}
	}
	s := &Stack{layout: Layout{Dir: opts.StateDir}, log: opts.Log, bins: bins,
		procs: map[string]*proc.Process{}, standins: map[string]func(){}}
	begin := time.Now()
	if err := s.start(ctx); err != nil {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		s.Stop(stopCtx)
		return nil, err
	}
	s.progress("all components ready in %s", time.Since(begin).Round(10*time.Millisecond))
	return s, nil
}

// EnsureBinaries builds every component missing from the cache.
func EnsureBinaries(ctx context.Context, log interface{ Write([]byte) (int, error) }) (build.Installed, error) {
	tools, err := build.ToolsDir()
	if err != nil {
		return nil, err
	}
	cache, err := build.CacheDir()
	if err != nil {
		return nil, err
	}
	return build.Builder{ToolsDir: tools, CacheDir: cache, Log: log}.Ensure(ctx, build.Components())
}

func (s *Stack) start(ctx context.Context) error {
	if err := s.timed("pki and configs", s.prepare); err != nil {
		return err
	}
	for _, name := range []string{Etcd, Dex, APIServer} {
		if err := s.timed(name, func() error { return s.StartComponent(ctx, name) }); err != nil {
			return err
		}
	}
	if err := s.timed("cluster objects", func() error { return s.applyFixtures(ctx) }); err != nil {
		return err
	}
	if err := s.startTogether(ctx, ControllerMgr, Scheduler, Kwok, Capsule); err != nil {
		return err
	}
	if err := s.timed("pod runtime", func() error { return s.startPodRuntime(ctx) }); err != nil {
		return err
	}
	for _, name := range []string{ProxyStandin, HeadlampStand} {
		if err := s.timed(name+" stand-in", func() error { return s.StartComponent(ctx, name) }); err != nil {
			return err
		}
	}
	return s.timed("oidc login (alice)", func() error { return s.waitTokenAccepted(ctx) })
}

// startTogether launches independent components at once and waits for each: they only need the API.
func (s *Stack) startTogether(ctx context.Context, names ...string) error {
	begin := time.Now()
	for _, name := range names {
		if err := s.launch(name); err != nil {
			return err
		}
	}
	var errs []error
	for _, name := range names {
		if err := s.waitReady(ctx, name); err != nil {
			errs = append(errs, err)
			continue
		}
		s.progress("%-24s ready in %s", name, time.Since(begin).Round(10*time.Millisecond))
	}
	return errors.Join(errs...)
}

func (s *Stack) prepare() error {
	l := s.layout
	if err := l.mkdirs(); err != nil {
		return fmt.Errorf("create the state folder %s: %w", l.Dir, err)
	}
	if err := makePKI(l); err != nil {
		return err
	}
	secret, err := s.ClientSecret()
	if err != nil {
		return err
	}
	if err := writeDexConfig(l, secret, DexSettings{}); err != nil {
		return err
	}
	cfg, err := healthyAuthConfig(l)
	if err != nil {
		return err
	}
	if err := writeAuthConfig(l, cfg); err != nil {
		return err
	}
	if err := s.writeKwokConfig(); err != nil {
		return err
	}
	if err := writeCapsuleWebhookCert(l); err != nil {
		return err
	}
	if err := writeAdminKubeconfig(l); err != nil {
		return err
	}
	return s.connect()
}
