//go:build !windows

package login

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/browser"
)

// With $BROWSER=firefox, the browser runs until the user closes it: login must not wait for it.
func TestRunDoesNotWaitForTheBrowserToExit(t *testing.T) {
	idp := fakeIDPFunc(t, func(string) bool { return true })
	dir := t.TempDir()
	// The fake browser runs until the test releases it through a named pipe, at cleanup.
	release := filepath.Join(dir, "release")
	if err := syscall.Mkfifo(release, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.WriteFile(release, []byte("close\n"), 0o600) })
	firefox := filepath.Join(dir, "firefox")
	if err := os.WriteFile(firefox, []byte("#!/bin/sh\nread line < "+release+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env, ready, status := testEnv(t, fake.NewClientset(installation(idp.URL+"/dex", false)...), headlampPod(), caOf(idp), nil)
	env.Browser = browser.EnvCommand(firefox)
	done := make(chan error, 1)
	go func() { done <- Run(t.Context(), Options{Namespace: ns, URL: "https://h.example.com"}, env) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run() = %v", err)
		}
	case <-time.After(30 * time.Second): // only a guard against hanging; nothing is timed
		t.Fatal("login waits for the browser to exit")
	}
	<-ready
	if !strings.Contains(status.String(), "Opened https://h.example.com/oidc?cluster=main in the browser") {
		t.Errorf("status:\n%s", status)
	}
}
