package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"k8s.io/client-go/rest"
)

// DefaultRequestTimeout bounds each one-shot request to the API server when --request-timeout is not
// given. kubectl's default is no bound at all, so an API server that completes TLS and never answers
// would hang a command forever.
const DefaultRequestTimeout = 30 * time.Second

// ErrNoAnswer means the API server took a request but did not answer it in time.
var ErrNoAnswer = errors.New("the API server did not answer")

// errAnswerDeadline is the cause of the deadline bound puts on a request, to tell it apart from the
// caller's own deadline or cancellation.
var errAnswerDeadline = errors.New("request timeout")

// boundRequests makes every one-shot request of clients built from cfg fail with ErrNoAnswer when no
// answer has come within timeout, or within --request-timeout when given. Watches and upgraded
// connections (port-forward) are long-running by design and are left alone; install's wait is bounded
// by its own --timeout.
func boundRequests(cfg *rest.Config, timeout time.Duration) {
	if cfg.Timeout > 0 {
		timeout = cfg.Timeout
	}
	// The bound replaces http.Client's timeout, which would otherwise race it and end the request
	// with a bare "context deadline exceeded" (and would also cut watches).
	cfg.Timeout = 0
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return answerDeadline{rt: rt, timeout: timeout} })
}

// answerDeadline is the RoundTripper of boundRequests.
type answerDeadline struct {
	rt      http.RoundTripper
	timeout time.Duration
}

// WrappedRoundTripper lets client-go reach the transport beneath, to cancel a request through it.
func (a answerDeadline) WrappedRoundTripper() http.RoundTripper { return a.rt }

func (a answerDeadline) RoundTrip(req *http.Request) (*http.Response, error) {
	if longRunning(req) {
		return a.rt.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), a.timeout, errAnswerDeadline)
	resp, err := a.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, a.explain(ctx, err)
	}
	// The deadline covers reading the body too: it ends when client-go closes it.
	resp.Body = &deadlineBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel, a: a}
	return resp, nil
}

// explain says what to check when the request's own deadline cut it.
func (a answerDeadline) explain(ctx context.Context, err error) error {
	if !errors.Is(context.Cause(ctx), errAnswerDeadline) {
		return err
	}
	return fmt.Errorf("%w within %s: check that the cluster of the current context is up and that its address "+
		"is right (kubectl cluster-info), or allow more time with --request-timeout", ErrNoAnswer, a.timeout)
}

// longRunning reports whether a request stays open by design: a watch, a followed log, or a
// connection upgraded to a stream (port-forward, exec).
func longRunning(req *http.Request) bool {
	q := req.URL.Query()
	return q.Get("watch") == "true" || q.Get("watch") == "1" || q.Get("follow") == "true" || req.Header.Get("Upgrade") != ""
}

// deadlineBody ends the request's deadline when the body is closed.
type deadlineBody struct {
	io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc
	a      answerDeadline
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == nil {
		return n, nil
	}
	// A connection cut by the deadline can read as a clean end of the body (and client-go then
	// reports an empty 200): once the deadline has passed, an end is the deadline's doing.
	if !errors.Is(err, io.EOF) || errors.Is(context.Cause(b.ctx), errAnswerDeadline) {
		err = b.a.explain(b.ctx, err)
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}
