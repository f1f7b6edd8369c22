package install

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// goneEvent is what the watch of one deleted object tells the wait: a version of it (what holds
// it), that it is gone, or why it cannot be waited for.
type goneEvent struct {
	ref  ref
	obj  metav1.Object
	gone bool
	err  error
}

// waitGone waits until every deleted object is gone, at most timeout, watching each one (as kubectl
// wait --for=delete does) rather than reading them over and over. The progress line names what is
// left and the finalizers that still hold it; so does the error when the time is up.
func waitGone(ctx context.Context, c Clients, ns string, refs []ref, timeout time.Duration, p *progress) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel: no watch outlives the wait
	defer cancel()
	events := make(chan goneEvent)
	for _, r := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			followGone(wctx, c, ns, r, events)
		}()
	}
	stop := p.spin()
	defer stop()
	left := newRemaining(refs)
	for !left.empty() {
		p.update(fmt.Sprintf("waiting for %d object(s) to go: %s", left.len(), left))
		var ev goneEvent
		select {
		case ev = <-events:
		case <-wctx.Done():
			p.clear()
			if ctx.Err() != nil {
				return fmt.Errorf("wait for deletion: %w", ctx.Err())
			}
			return fmt.Errorf("%d object(s) still present after %s: %s (see what holds them with kubectl -n %s get <object> -o yaml, or run uninstall with --wait=false)",
				left.len(), timeout, left, ns)
		}
		switch {
		case ev.gone:
			left.remove(ev.ref)
		case ev.err != nil:
			p.clear()
			return fmt.Errorf("wait for %s to go: %w (it was deleted; run uninstall with --wait=false to skip the wait)", ev.ref, ev.err)
		case ev.obj != nil:
			left.holds(ev.ref, ev.obj.GetFinalizers())
		}
	}
	p.line("all %d objects are gone", len(refs))
	return nil
}

// followGone watches r until it is gone, telling events what it sees; it ends with ctx.
func followGone(ctx context.Context, c Clients, ns string, r ref, events chan<- goneEvent) {
	send := func(ev goneEvent) {
		select {
		case events <- ev:
		case <-ctx.Done():
		}
	}
	w := kube.GoneWatch{
		Name: r.name,
		Get:  func(ctx context.Context) (metav1.Object, error) { return r.get(ctx, c, ns) },
		Watch: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			return r.kind.watch(ctx, c, ns, o)
		},
		Seen: func(obj metav1.Object, err error) {
			if err == nil {
				send(goneEvent{ref: r, obj: obj})
			}
		},
	}
	err := w.Wait(ctx)
	switch {
	case err == nil:
		send(goneEvent{ref: r, gone: true})
	case ctx.Err() != nil:
		// the wait is over: its deadline says what is left
	default:
		send(goneEvent{ref: r, err: err})
	}
}

// remaining are the deleted objects not gone yet, in deletion order, with the finalizers last seen
// on each.
type remaining struct {
	order      []ref
	finalizers map[ref][]string
}

func newRemaining(refs []ref) *remaining {
	return &remaining{order: append([]ref(nil), refs...), finalizers: map[ref][]string{}}
}

func (l *remaining) empty() bool { return len(l.order) == 0 }

func (l *remaining) len() int { return len(l.order) }

func (l *remaining) remove(r ref) {
	for i, o := range l.order {
		if o == r {
			l.order = append(l.order[:i], l.order[i+1:]...)
			return
		}
	}
}

func (l *remaining) holds(r ref, finalizers []string) { l.finalizers[r] = finalizers }

// String reads like "deployment.apps/headlamp (finalizer foregroundDeletion), secret/headlamp-oidc".
func (l *remaining) String() string {
	names := make([]string, len(l.order))
	for i, r := range l.order {
		names[i] = r.String()
		if f := l.finalizers[r]; len(f) > 0 {
			names[i] += " (finalizer " + strings.Join(f, ", ") + ")"
		}
	}
	return strings.Join(names, ", ")
}
