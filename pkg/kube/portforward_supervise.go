package kube

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"k8s.io/streaming/pkg/httpstream"
)

// Backoff between attempts to find a new ready pod after the one in use went away.
const (
	reconnectFirst = 250 * time.Millisecond
	reconnectMax   = 5 * time.Second
)

// ForwardEventKind says what happened to a Forwarder.
type ForwardEventKind int

const (
	// EventConnected means the forwarder now forwards to Pod; Previous names the pod it replaces, if any.
	EventConnected ForwardEventKind = iota
	// EventLost means Pod went away or its connection failed (Err says how); a new pod is looked for.
	EventLost
	// EventWaiting means no new pod could be reached yet (Err says why); the forwarder keeps trying.
	EventWaiting
	// EventForwardFailed means one local connection could not be forwarded (Err says why).
	EventForwardFailed
)

// ForwardEvent is what a Forwarder reports through ForwardOptions.Notify.
type ForwardEvent struct {
	Kind     ForwardEventKind
	Pod      Pod
	Previous string
	Err      error
}

// supervise waits until the link's pod goes away or its connection ends, then reports the loss and
// connects to a newly picked pod, so the next browser request finds a live link.
func (f *Forwarder) supervise(ctx context.Context, l *podLink) {
	defer f.wg.Done()
	cause := f.waitLoss(ctx, l)
	l.kill(cause)
	if f.ctx.Err() != nil {
		return
	}
	f.emit(ForwardEvent{Kind: EventLost, Pod: l.pod, Err: l.err})
	f.reconnect()
}

// waitLoss returns why the link ended, or nil when the forwarder or the link was closed.
func (f *Forwarder) waitLoss(ctx context.Context, l *podLink) error {
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	gone := make(chan error, 1)
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		gone <- f.opts.Pods.WaitGone(watchCtx, l.pod)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.done:
			return l.err
		case <-l.conn.CloseChan():
			return fmt.Errorf("the port-forward connection to pod %s closed", l.pod.Name)
		case err := <-gone:
			if err == nil {
				return fmt.Errorf("pod %s was deleted or is no longer ready", l.pod.Name)
			}
			// The pod cannot be watched (RBAC, say): rely on the connection alone from now on.
			gone = nil
		}
	}
}

// reconnect picks and connects to a new pod, with backoff, until it succeeds or the forwarder closes.
func (f *Forwarder) reconnect() {
	delay := reconnectFirst
	var lastErr string
	for {
		_, err := f.link(f.ctx)
		if err == nil || errors.Is(err, ErrClosed) || f.ctx.Err() != nil {
			return
		}
		if err.Error() != lastErr {
			f.emit(ForwardEvent{Kind: EventWaiting, Err: err})
			lastErr = err.Error()
		}
		select {
		case <-f.ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, reconnectMax)
	}
}

// podLink is one streaming connection to one pod.
type podLink struct {
	pod    Pod
	conn   httpstream.Connection
	done   chan struct{}
	cancel context.CancelFunc
	once   sync.Once
	err    error
}

// kill closes the link once, remembering why.
func (l *podLink) kill(err error) {
	l.once.Do(func() {
		l.err = err
		close(l.done)
		l.cancel()
		_ = l.conn.Close()
	})
}

func (l *podLink) dead() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}
