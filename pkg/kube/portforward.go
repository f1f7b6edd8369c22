package kube

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// ErrClosed means the Forwarder was closed (or its context ended) before a connection could be made.
var ErrClosed = errors.New("port-forward closed")

// ForwardOptions configures a Forwarder.
type ForwardOptions struct {
	// Pods chooses the pod to reach: ServicePods or FixedPod.
	Pods PodSource
	// Dialer opens the streaming connection to a pod: APIServerDialer, or a fake in tests.
	Dialer StreamDialer
	// Notify, when set, is told when the forwarder connects to a pod, loses it or fails to forward a
	// connection. It is called from the forwarder's goroutines, one call at a time.
	Notify func(ForwardEvent)
}

// Forwarder forwards connections to a port of a pod through the API server (client-go's port-forward
// protocol). It keeps one streaming connection to the pod; when that pod goes away (deleted, not
// ready, connection lost) it picks a new ready pod from its PodSource and carries on.
type Forwarder struct {
	opts   ForwardOptions
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex // serialises connecting, guards cur and lastName
	cur      *podLink
	lastName string

	nextID   atomic.Int64
	wg       sync.WaitGroup // every goroutine the forwarder started
	notifyMu sync.Mutex
}

// NewForwarder returns a Forwarder living until ctx ends or Close is called. It connects lazily: the
// first connection (or Connect) picks the pod.
func NewForwarder(ctx context.Context, opts ForwardOptions) *Forwarder {
	ctx, cancel := context.WithCancel(ctx)
	return &Forwarder{opts: opts, ctx: ctx, cancel: cancel}
}

// Connect makes sure the forwarder has a connection to a ready pod and returns that pod. Call it
// first to surface errors (no ready pod, forbidden) before accepting connections.
func (f *Forwarder) Connect(ctx context.Context) (Pod, error) {
	l, err := f.link(ctx)
	if err != nil {
		return Pod{}, err
	}
	return l.pod, nil
}

func (f *Forwarder) dial(ctx context.Context) (*streamConn, error) {
	for attempt := 0; ; attempt++ {
		l, err := f.link(ctx)
		if err != nil {
			return nil, err
		}
		id := int(f.nextID.Add(1) - 1)
		c, err := openStreams(l.conn, l.pod, id, &f.wg, func(err error) { l.kill(err) })
		if err == nil {
			return c, nil
		}
		// Streams cannot be created on a dead connection: drop it and try a fresh pod once.
		l.kill(err)
		if attempt > 0 {
			return nil, err
		}
	}
}

// Close stops forwarding, closes the pod connection and waits for every goroutine it started.
func (f *Forwarder) Close() {
	f.cancel()
	f.mu.Lock()
	if f.cur != nil {
		f.cur.kill(nil)
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// link returns the live connection to a pod, connecting to a newly picked pod when there is none.
func (f *Forwarder) link(ctx context.Context) (*podLink, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ctx.Err() != nil {
		return nil, ErrClosed
	}
	if f.cur != nil && !f.cur.dead() {
		return f.cur, nil
	}
	pod, err := f.opts.Pods.Pick(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := f.opts.Dialer.Dial(ctx, pod)
	if err != nil {
		return nil, err
	}
	lctx, cancel := context.WithCancel(f.ctx)
	l := &podLink{pod: pod, conn: conn, done: make(chan struct{}), cancel: cancel}
	previous := f.lastName
	f.cur, f.lastName = l, pod.Name
	f.wg.Add(1)
	go f.supervise(lctx, l)
	f.emit(ForwardEvent{Kind: EventConnected, Pod: pod, Previous: previous})
	return l, nil
}

func (f *Forwarder) emit(ev ForwardEvent) {
	if f.opts.Notify == nil {
		return
	}
	f.notifyMu.Lock()
	defer f.notifyMu.Unlock()
	f.opts.Notify(ev)
}
