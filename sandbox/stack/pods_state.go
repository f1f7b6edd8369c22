package stack

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// StandinStarted reports, as an error saying what is missing, whether the pod runtime runs pod p's
// stand-in container behind it and KWOK serves its log and port (see standinStarted). KWOK marks a
// pod Ready on its own; tests that talk to a stand-in through its pod wait on this as well.
func (s *Stack) StandinStarted(ctx context.Context, p *corev1.Pod) error {
	return s.standinStarted(ctx, p)
}

// standinStarted reports whether the runtime has set up a stand-in pod: its container runs (for
// Headlamp; capsule-proxy's pods share one process) and KWOK serves its log and, for Headlamp, its port.
// Other pods need nothing.
func (s *Stack) standinStarted(ctx context.Context, p *corev1.Pod) error {
	c, image := standinContainer(p)
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if image == "" || r == nil {
		return nil
	}
	if !r.done1("log/" + string(p.UID)) {
		return fmt.Errorf("pod %s: its log is not served yet", p.Name)
	}
	if image != imageHeadlamp {
		return s.kwokServes(ctx, r, p, c.Name, 0)
	}
	r.mu.Lock()
	h, off := r.hl[p.UID], r.hlOff
	r.mu.Unlock()
	switch {
	case off, h == nil && r.done1("mountfail/"+string(p.UID)):
		return nil // stopped on purpose, or waiting for a volume like a real pod
	case h == nil:
		return fmt.Errorf("pod %s: its Headlamp container has not started", p.Name)
	case !r.done1("forward/" + string(p.UID) + "/" + h.srv.Addr()):
		return fmt.Errorf("pod %s: its port is not forwarded yet", p.Name)
	}
	return s.kwokServes(ctx, r, p, c.Name, h.srv.Port())
}

// hangHeadlamps puts a listener that never answers in place of every running Headlamp container, on
// its address; the restore starts the containers again (they read their pods anew).
func (s *Stack) hangHeadlamps(ctx context.Context) (Restore, error) {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return nil, fmt.Errorf("the pod runtime is not running")
	}
	r.mu.Lock()
	r.hlOff = true
	var addrs []string
	for _, h := range r.hl {
		addrs = append(addrs, h.srv.Addr())
	}
	r.mu.Unlock()
	r.stopHeadlamps()
	var hung []*Hung
	restore := func(ctx context.Context) error {
		for _, h := range hung {
			_ = h.Close()
		}
		return s.startStandin(ctx, HeadlampStand)
	}
	for _, a := range addrs {
		h, err := ListenHung(ctx, a)
		if err != nil {
			return restore, err
		}
		hung = append(hung, h)
	}
	return restore, nil
}

// headlampsStarted reports whether every Headlamp pod on the node has its container running.
func (s *Stack) headlampsStarted(ctx context.Context) error {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return nil
	}
	pods, err := r.podLister().List(labelsEverything)
	if err != nil {
		return err
	}
	for _, p := range pods {
		if _, image := standinContainer(p); image == imageHeadlamp && p.DeletionTimestamp == nil {
			if err := s.standinStarted(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}
