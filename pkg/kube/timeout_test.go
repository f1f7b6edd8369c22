package kube

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// hungAPIServer completes TLS and takes requests, and answers none until the test ends; with
// headersFirst it sends the status line and headers, then stalls the body.
func hungAPIServer(t *testing.T, headersFirst bool) *rest.Config {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headersFirst {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
		}
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // before srv.Close, which waits for the handlers
	return &rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{Insecure: true}}
}

func TestOneShotRequestsToAHungAPIServerEnd(t *testing.T) {
	cs, err := newClientset(hungAPIServer(t, false), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, verr := ServerVersion(t.Context(), cs)
	_, lerr := cs.CoreV1().Pods("ns").List(t.Context(), metav1.ListOptions{})
	derr := cs.CoreV1().Pods("ns").Delete(t.Context(), "p", metav1.DeleteOptions{})
	for what, err := range map[string]error{"server version": verr, "list": lerr, "delete": derr} {
		if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "--request-timeout") {
			t.Errorf("%s = %v, want ErrNoAnswer saying what to check", what, err)
		}
	}
}

// The bound lasts until the body is read: an API server may stall after the headers.
func TestABodyThatNeverEndsIsCut(t *testing.T) {
	cs, err := newClientset(hungAPIServer(t, true), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().Pods("ns").List(t.Context(), metav1.ListOptions{}); !errors.Is(err, ErrNoAnswer) {
		t.Errorf("list = %v, want ErrNoAnswer", err)
	}
}

func TestTheCallersDeadlineIsNotCalledNoAnswer(t *testing.T) {
	cs, err := newClientset(hungAPIServer(t, false), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := contextWithCancelNow(t.Context())
	defer cancel()
	if _, err := ServerVersion(ctx, cs); err == nil || errors.Is(err, ErrNoAnswer) {
		t.Errorf("ServerVersion on a cancelled context = %v, want the cancellation, not ErrNoAnswer", err)
	}
}

// deadlineRecorder records whether each request it gets carries a deadline.
type deadlineRecorder struct{ bounded bool }

func (d *deadlineRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	_, d.bounded = req.Context().Deadline()
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
}

func TestLongRunningRequestsAreNotBounded(t *testing.T) {
	tests := []struct {
		url     string
		upgrade string
		bounded bool
	}{
		{"https://api/version", "", true},
		{"https://api/api/v1/namespaces/ns/pods?labelSelector=a%3Db", "", true},
		{"https://api/api/v1/namespaces/ns/pods?watch=true&resourceVersion=1", "", false},
		{"https://api/api/v1/namespaces/ns/pods/p/log?follow=true", "", false},
		{"https://api/api/v1/namespaces/ns/pods/p/portforward", "SPDY/3.1", false},
	}
	for _, tt := range tests {
		rec := &deadlineRecorder{}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tt.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.upgrade != "" {
			req.Header.Set("Upgrade", tt.upgrade)
		}
		resp, err := answerDeadline{rt: rec, timeout: time.Hour}.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if rec.bounded != tt.bounded {
			t.Errorf("%s (upgrade %q): bounded %v, want %v", tt.url, tt.upgrade, rec.bounded, tt.bounded)
		}
	}
}

func TestRequestTimeoutFlagSetsTheBound(t *testing.T) {
	for _, tt := range []struct{ flag, want time.Duration }{{0, DefaultRequestTimeout}, {5 * time.Second, 5 * time.Second}} {
		cfg := &rest.Config{Timeout: tt.flag}
		boundRequests(cfg, DefaultRequestTimeout)
		got, ok := cfg.WrapTransport(http.DefaultTransport).(answerDeadline)
		if !ok || got.timeout != tt.want {
			t.Errorf("--request-timeout %s: wrapper %#v, want a bound of %s", tt.flag, got, tt.want)
		}
	}
}

func contextWithCancelNow(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	return ctx, cancel
}
