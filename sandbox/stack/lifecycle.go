package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
)

// Components lists every component in start order.
func Components() []string {
	return []string{Etcd, Dex, APIServer, ControllerMgr, Scheduler, Kwok, Capsule, ProxyStandin, HeadlampStand}
}

func isStandin(name string) bool { return name == ProxyStandin || name == HeadlampStand }

// StartComponent starts one component (after StopComponent) and waits until it is ready.
func (s *Stack) StartComponent(ctx context.Context, name string) error {
	if isStandin(name) {
		return s.startStandin(ctx, name)
	}
	if err := s.launch(name); err != nil {
		return err
	}
	return s.waitReady(ctx, name)
}

func (s *Stack) launch(name string) error {
	sp, err := s.spec(name)
	if err != nil {
		return err
	}
	p, err := proc.Start(sp)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.procs[name] = p
	s.mu.Unlock()
	if name == Kwok {
		s.forgetServed() // a new KWOK serves pods' logs and ports once its watch has listed them
	}
	return s.writePids()
}

func (s *Stack) waitReady(ctx context.Context, name string) error {
	p := s.runningProcs()[name]
	if p == nil {
		return fmt.Errorf("%s is not running", name)
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout(name))
	defer cancel()
	return p.WaitReady(ctx, s.readiness(name))
}

func readyTimeout(name string) time.Duration {
	if name == APIServer {
		return 90 * time.Second
	}
	return 60 * time.Second
}

// stopComponent stops one component; the others keep running.
func (s *Stack) stopComponent(name string) {
	if isStandin(name) {
		s.stopStandin(name)
		return
	}
	s.mu.Lock()
	p := s.procs[name]
	delete(s.procs, name)
	s.mu.Unlock()
	if p != nil {
		p.Stop(stopGrace(name))
	}
	_ = s.writePids()
}

// stopGrace is how long a component gets to exit after SIGTERM. The API server stops listening at
// once but then waits for open watches far longer; its state is in etcd, so it is killed early.
func stopGrace(name string) time.Duration {
	if name == APIServer || name == SecondAPIServer {
		return 3 * time.Second
	}
	return 10 * time.Second
}

// Stop stops everything in reverse start order (the API server before etcd).
func (s *Stack) Stop(ctx context.Context) {
	s.stopPodRuntime()
	s.stopComponent(SecondAPIServer) // before etcd, like the first
	order := Components()
	slices.Reverse(order)
	for _, name := range order {
		if ctx.Err() != nil {
			break
		}
		s.stopComponent(name)
	}
	// Whatever is left after a cancelled stop is killed: no process may outlive the sandbox.
	for _, p := range s.runningProcs() {
		p.Stop(0)
	}
	s.mu.Lock()
	if s.proxyLogW != nil {
		_ = s.proxyLogW.Close()
		s.proxyLogW = nil
	}
	s.mu.Unlock()
}

// Crashed reports components that exited on their own, with the tail of their logs.
func (s *Stack) Crashed() map[string]string {
	out := map[string]string{}
	for name, p := range s.runningProcs() {
		select {
		case <-p.Done():
			out[name] = proc.Tail(p.Spec.LogFile, 20)
		default:
		}
	}
	return out
}

// PidFile records component pids so `sandbox down` can make sure nothing is left behind.
func (l Layout) PidFile() string { return l.Path("pids.json") }

func (s *Stack) writePids() error {
	pids := map[string]int{}
	for name, p := range s.runningProcs() {
		pids[name] = p.Pid()
	}
	data, err := json.Marshal(pids)
	if err != nil {
		return fmt.Errorf("encode pids: %w", err)
	}
	return os.WriteFile(s.layout.PidFile(), data, 0o600)
}

// ReadPids reads the pids recorded in a state folder.
func ReadPids(stateDir string) (map[string]int, error) {
	data, err := os.ReadFile(Layout{Dir: stateDir}.PidFile())
	if err != nil {
		return nil, err
	}
	pids := map[string]int{}
	return pids, json.Unmarshal(data, &pids)
}
