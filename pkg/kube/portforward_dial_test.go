package kube

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/streaming/pkg/httpstream"
)

func TestCheckDialNamesTheMissingPermission(t *testing.T) {
	pod := Pod{Namespace: testNS, Name: "headlamp-1"}
	err := errors.New(`unable to upgrade connection: pods "headlamp-1" is forbidden: User "bob" cannot create resource "pods/portforward"`)
	_, got := checkDial(pod, dialResult{err: err})
	if !errors.Is(got, ErrForbidden) || !strings.Contains(got.Error(), "create pods/portforward in namespace capsule-system") {
		t.Errorf("checkDial() = %v, want ErrForbidden naming create pods/portforward", got)
	}
	_, got = checkDial(pod, dialResult{err: errors.New("connection refused")})
	if errors.Is(got, ErrForbidden) || got == nil {
		t.Errorf("checkDial() = %v, want a plain error", got)
	}
}

func TestShouldFallBackToSPDY(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&httpstream.UpgradeFailureError{Cause: errors.New("403 Forbidden")}, true},
		{fmt.Errorf("dial: %w", &httpstream.UpgradeFailureError{Cause: errors.New("400")}), true},
		{errors.New("proxy: unknown scheme: https"), true},
		{errors.New("connection refused"), false},
	}
	for _, tt := range tests {
		if got := shouldFallBack(tt.err); got != tt.want {
			t.Errorf("shouldFallBack(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// An API server that cannot upgrade to websockets answers the upgrade with a plain HTTP error; the
// error client-go's websocket dialer then returns must make the dialer fall back to SPDY.
func TestShouldFallBackOnTheWebsocketDialersRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upgrade not supported", http.StatusBadRequest)
	}))
	defer srv.Close()
	u, err := url.Parse(srv.URL + "/api/v1/namespaces/capsule-system/pods/headlamp-1/portforward")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := portforward.NewSPDYOverWebsocketDialerForStreaming(u, &rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	conn, _, err := ws.Dial(portforward.PortForwardProtocolV1Name)
	if conn != nil {
		_ = conn.Close()
	}
	if err == nil || !shouldFallBack(err) {
		t.Errorf("shouldFallBack(%v) = false, want true for a refused websocket upgrade", err)
	}
}
