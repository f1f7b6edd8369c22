package login

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"go.uber.org/goleak"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

func localhostCallback(uri string) bool { return strings.HasPrefix(uri, "http://localhost:") }

// runAsync starts Run and returns a function that stops it and returns its error.
func runAsync(t *testing.T, o Options, env Env) (stop func() error, done chan error) {
	ctx, cancel := context.WithCancel(t.Context())
	done = make(chan error, 1)
	go func() { done <- Run(ctx, o, env) }()
	return func() error { cancel(); return <-done }, done
}

func TestRunForwardsOpensTheBrowserAndStopsCleanly(t *testing.T) {
	idp := fakeIDPFunc(t, localhostCallback)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent()) // after the IdP: its server stops at cleanup
	b := newFakeBrowser()
	env, ready, status := testEnv(t, fake.NewClientset(installation(idp.URL+"/dex", true)...), headlampPod(), caOf(idp), b)
	stop, _ := runAsync(t, Options{Namespace: ns, Port: 0}, env)

	s := <-ready
	port := strconv.Itoa(s.LocalPort)
	if s.ReachedBy != ByPortForward || s.Pod != "headlamp-1" || s.LocalPort == 0 ||
		s.URL != "http://localhost:"+port+"/oidc?cluster=main" ||
		s.RedirectURI != "http://localhost:"+port+"/oidc-callback" ||
		s.RedirectURIAccepted == nil || !*s.RedirectURIAccepted {
		t.Errorf("session = %+v", s)
	}
	if got := <-b.opened; got != s.URL {
		t.Errorf("browser opened %q, want %q", got, s.URL)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:"+port+"/config", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "headlamp-1 /config" {
		t.Errorf("through the forward: %q, want the pod's answer", body)
	}
	if err := stop(); err != nil {
		t.Errorf("Run() after Ctrl-C = %v, want nil", err)
	}
	assertPortFree(t, s.LocalPort)
	for _, want := range []string{"Headlamp: deployment capsule-system/headlamp, service headlamp (installed by kubectl capsule-headlamp)",
		"ok: the IdP accepts redirect URI http://localhost:" + port + "/oidc-callback for client headlamp",
		"Forwarding 127.0.0.1:" + port + " to pod headlamp-1; press Ctrl-C to stop"} {
		if !strings.Contains(status.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
}

func TestRunStopsWhenTheIdPRefusesTheRedirectURI(t *testing.T) {
	idp := fakeIDP(t, "http://localhost:8080/oidc-callback")
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	b := newFakeBrowser()
	env, ready, _ := testEnv(t, fake.NewClientset(installation(idp.URL+"/dex", true)...), headlampPod(), caOf(idp), b)
	err := Run(t.Context(), Options{Namespace: ns, Port: 0}, env)
	if !errors.Is(err, ErrRedirectRefused) {
		t.Fatalf("Run() = %v, want ErrRedirectRefused", err)
	}
	for _, want := range []string{"register http://localhost:", "/oidc-callback as a redirect URI of client headlamp at " + idp.URL + "/dex",
		"Unregistered redirect_uri", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if len(ready) != 0 || len(b.opened) != 0 {
		t.Errorf("a refused redirect URI still printed the URL or opened the browser")
	}
}

func TestRunWithForceOpensDespiteTheRefusal(t *testing.T) {
	idp := fakeIDP(t)
	b := newFakeBrowser()
	env, ready, status := testEnv(t, fake.NewClientset(installation(idp.URL+"/dex", true)...), headlampPod(), caOf(idp), b)
	stop, _ := runAsync(t, Options{Namespace: ns, Port: 0, Force: true}, env)
	s := <-ready
	<-b.opened
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if s.RedirectURIAccepted == nil || *s.RedirectURIAccepted {
		t.Errorf("session says accepted = %v, want false", s.RedirectURIAccepted)
	}
	if !strings.Contains(status.String(), "warning: the IdP refuses redirect URI "+s.RedirectURI) {
		t.Errorf("status lacks the refusal warning:\n%s", status)
	}
}

func TestRunErrors(t *testing.T) {
	idp := fakeIDPFunc(t, localhostCallback)
	var lc net.ListenConfig
	busy, err := lc.Listen(t.Context(), "tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	forbidden := &kube.MemoryDialer{Refuse: kube.ErrForbidden}
	tests := []struct {
		name   string
		cs     *fake.Clientset
		dialer kube.StreamDialer
		port   int
		want   error
	}{
		{"no Headlamp", fake.NewClientset(), headlampPod(), 0, headlamp.ErrNoHeadlamp},
		{"no ready pod", fake.NewClientset(installation(idp.URL+"/dex", false)...), headlampPod(), 0, kube.ErrNoReadyPod},
		{"port-forward forbidden", fake.NewClientset(installation(idp.URL+"/dex", true)...), forbidden, 0, kube.ErrForbidden},
		{"port busy", fake.NewClientset(installation(idp.URL+"/dex", true)...), headlampPod(), busyPort, kube.ErrPortInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			b := newFakeBrowser()
			env, ready, _ := testEnv(t, tt.cs, tt.dialer, caOf(idp), b)
			if err := Run(t.Context(), Options{Namespace: ns, Port: tt.port}, env); !errors.Is(err, tt.want) {
				t.Fatalf("Run() = %v, want %v", err, tt.want)
			}
			if len(ready) != 0 || len(b.opened) != 0 {
				t.Errorf("a failed login printed the URL or opened the browser")
			}
		})
	}
}

func TestRunWithoutPortForward(t *testing.T) {
	idp := fakeIDPFunc(t, func(string) bool { return true })
	ing := networkingv1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: ns},
		Spec: networkingv1.IngressSpec{TLS: []networkingv1.IngressTLS{{Hosts: []string{"headlamp.example.com"}}}, Rules: []networkingv1.IngressRule{{
			Host: "headlamp.example.com",
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
				Path: "/", Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
					Name: "headlamp", Port: networkingv1.ServiceBackendPort{Name: "http"}}},
			}}}},
		}}},
	}
	objects := append(installation(idp.URL+"/dex", false), &ing)
	tests := []struct {
		name  string
		opts  Options
		want  Session
		opens bool
	}{
		{"--url", Options{Namespace: ns, URL: "https://h.example.com/"}, Session{
			URL: "https://h.example.com/oidc?cluster=main", HeadlampURL: "https://h.example.com", ReachedBy: ByURL,
			RedirectURI: "https://h.example.com/oidc-callback"}, true},
		{"ingress with TLS, --no-browser", Options{Namespace: ns, NoBrowser: true}, Session{
			URL: "https://headlamp.example.com/oidc?cluster=main", HeadlampURL: "https://headlamp.example.com",
			ReachedBy: ByIngress, Ingress: "headlamp", RedirectURI: "https://headlamp.example.com/oidc-callback"}, false},
		{"--path to the OIDC sign-in", Options{Namespace: ns, URL: "http://h.example.com", Path: "/oidc?cluster=main"}, Session{
			URL: "http://h.example.com/oidc?cluster=main", HeadlampURL: "http://h.example.com", ReachedBy: ByURL,
			RedirectURI: "http://h.example.com/oidc-callback"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newFakeBrowser()
			env, ready, _ := testEnv(t, fake.NewClientset(objects...), headlampPod(), caOf(idp), b)
			// The pod is not ready: these ways must not need it.
			if err := Run(t.Context(), tt.opts, env); err != nil {
				t.Fatalf("Run() = %v", err)
			}
			got := <-ready
			if got.RedirectURIAccepted == nil || !*got.RedirectURIAccepted {
				t.Errorf("redirect URI accepted = %v, want true", got.RedirectURIAccepted)
			}
			got.RedirectURIAccepted = nil
			if got != tt.want {
				t.Errorf("session = %+v\nwant      %+v", got, tt.want)
			}
			if opened := len(b.opened) == 1; opened != tt.opens {
				t.Errorf("browser opened = %v, want %v", opened, tt.opens)
			}
		})
	}
}

// assertPortFree fails when something still accepts connections on 127.0.0.1:port. It dials rather
// than binds: the port came from the ephemeral range, so once login freed it another test's outgoing
// connection may hold it as its local port, and a bind would fail although nothing listens.
func assertPortFree(t *testing.T, port int) {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(t.Context(), "tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err == nil {
		_ = conn.Close()
		t.Errorf("port %d still accepts connections after login ended", port)
		return
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("port %d: dial = %v, want connection refused", port, err)
	}
}
