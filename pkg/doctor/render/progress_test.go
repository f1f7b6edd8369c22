package render

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// noteWriter signals the first note it gets.
type noteWriter struct {
	mu    sync.Mutex
	b     strings.Builder
	first chan struct{}
	once  sync.Once
}

func (w *noteWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.first) })
	return w.b.Write(p)
}

func (w *noteWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestProgressNamesTheCheckARunWaitsFor: a check that answers only once the wait was noted shows on
// the progress stream, by ID and title, once.
func TestProgressNamesTheCheckARunWaitsFor(t *testing.T) {
	w := &noteWriter{first: make(chan struct{})}
	slow := engine.Check{ID: "T-SLOW", Title: "A slow peer answers", Category: "T", Severity: engine.SeverityError, Hint: "h",
		Run: func(ctx context.Context, _ engine.Facts) engine.Result {
			select {
			case <-w.first:
			case <-ctx.Done():
			}
			return engine.Pass("at last")
		}}
	fast := slow
	fast.ID, fast.Title, fast.Run = "T-FAST", "fast", func(context.Context, engine.Facts) engine.Result { return engine.Pass("") }
	p, err := engine.NewPlan([]engine.Check{fast, slow}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := NewText(&strings.Builder{}, styleNone(), false)
	r := engine.Run(t.Context(), p, engine.RunOptions{Observer: NewProgress(text, w, 20*time.Millisecond), CheckTimeout: 5 * time.Second})
	if r.Outcomes[1].Status != engine.StatusPass || r.Outcomes[1].Message != "at last" {
		t.Fatalf("the slow check did not see its wait noted: %s %q", r.Outcomes[1].Status, r.Outcomes[1].Message)
	}
	if got := w.String(); got != "waiting for T-SLOW (A slow peer answers)...\n" {
		t.Errorf("progress = %q, want one note naming T-SLOW", got)
	}
}

func styleNone() style.Palette { return style.Palette{} }
