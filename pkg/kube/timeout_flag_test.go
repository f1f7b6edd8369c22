package kube

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/client-go/rest"
)

// An explicit --request-timeout (cfg.Timeout) must give the same explained error as the default
// bound: http.Client's own timeout must not race it.
func TestAnExplicitRequestTimeoutIsExplained(t *testing.T) {
	cfg := hungAPIServer(t, false)
	cfg.Timeout = 100 * time.Millisecond
	cs, err := newClientset(cfg, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ServerVersion(t.Context(), cs)
	if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "within 100ms") {
		t.Errorf("ServerVersion with --request-timeout 100ms = %v, want ErrNoAnswer within 100ms", err)
	}
}

func TestTheBoundTakesOverTheClientTimeout(t *testing.T) {
	cfg := &rest.Config{Timeout: 3 * time.Second}
	boundRequests(cfg, DefaultRequestTimeout)
	if cfg.Timeout != 0 {
		t.Errorf("cfg.Timeout = %s after boundRequests, want 0: http.Client's timeout would race the bound", cfg.Timeout)
	}
	rt := cfg.WrapTransport(http.DefaultTransport)
	w, ok := rt.(utilnet.RoundTripperWrapper)
	if !ok || w.WrappedRoundTripper() != http.DefaultTransport {
		t.Errorf("%T does not expose the transport it wraps: client-go cannot cancel through it", rt)
	}
	if got := rt.(answerDeadline).timeout; got != 3*time.Second {
		t.Errorf("bound = %s, want the 3s of --request-timeout", got)
	}
}
