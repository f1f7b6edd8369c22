// Package login opens a browser session on Headlamp: it finds the installation, reaches it (a URL
// given by the user, an Ingress, a Gateway API HTTPRoute, or a port-forward to a ready pod), checks that the IdP accepts the
// redirect URI Headlamp will send, opens the browser at the sign-in deep link and keeps the
// port-forward open until the context ends. It never prints data itself: the caller renders the
// Session it is handed; status lines go to a writer.
package login

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/browser"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// How Headlamp is reached.
const (
	ByURL         = "url"
	ByIngress     = "ingress"
	ByHTTPRoute   = "httproute"
	ByPortForward = "port-forward"
)

// Options are what the user chose.
type Options struct {
	Namespace string
	// Headlamp names the Deployment; "" finds it by label.
	Headlamp string
	// URL is where Headlamp is reached, skipping Ingress and port-forward; "" to find out.
	URL string
	// Path replaces the sign-in deep link's path and query (default /oidc?cluster=<cluster>).
	Path string
	// Port is the local port of the port-forward.
	Port      int
	NoBrowser bool
	// Force opens the browser even when the IdP refuses the redirect URI.
	Force bool
}

// Env is what login needs from the outside world.
type Env struct {
	Client kubernetes.Interface
	// Dynamic reads Gateway API HTTPRoutes and Gateways; nil leaves them out.
	Dynamic dynamic.Interface
	Dialer  kube.StreamDialer
	Browser browser.Launcher
	// IDPClient builds the HTTP client for the IdP check; nil means IDPClient.
	IDPClient func(caPEM []byte, insecure bool) (*http.Client, error)
	// Status receives progress and warnings (stderr); Palette colours them.
	Status  io.Writer
	Palette style.Palette
	// Ready is handed the session once Headlamp is reachable, before the browser opens: it prints
	// the URL (stdout). An error from it ends login.
	Ready func(Session) error
}

// Session is how Headlamp is reached, for the user and for scripts (-o json).
type Session struct {
	// URL is the sign-in deep link login opens.
	URL string `json:"url"`
	// HeadlampURL is Headlamp's root as reached.
	HeadlampURL string `json:"headlampURL"`
	ReachedBy   string `json:"reachedBy"`
	Ingress     string `json:"ingress,omitempty"`
	HTTPRoute   string `json:"httpRoute,omitempty"`
	Pod         string `json:"pod,omitempty"`
	LocalPort   int    `json:"localPort,omitempty"`
	RedirectURI string `json:"redirectURI,omitempty"`
	// RedirectURIAccepted is the IdP's verdict; null when it could not be asked.
	RedirectURIAccepted *bool `json:"redirectURIAccepted"`
}

// Run logs in. With a port-forward it returns only when ctx ends (nil: the user stopped it) or the
// forward fails; otherwise once the browser was asked to open.
func Run(ctx context.Context, o Options, env Env) error {
	st := &status{w: env.Status, p: env.Palette}
	in, err := lookup(ctx, o, env, st)
	if err != nil {
		return err
	}
	r, err := reach(ctx, o, env, in, st)
	if err != nil {
		return err
	}
	defer r.close()
	if err := checkRedirect(ctx, o, env, in, r.session, st); err != nil {
		return err
	}
	if err := env.Ready(*r.session); err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if o.NoBrowser {
		st.printf("Open %s in your browser", r.session.URL)
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.opened(r.session.URL, env.Browser.Open(ctx, r.session.URL))
		}()
	}
	if r.forwarder == nil {
		return nil
	}
	st.forwarding(r.session)
	return r.forwarder.Serve(ctx, r.listeners...)
}

// Redacted returns the session as it may be shown: its URLs without user info. Headlamp's callback
// URL comes from the cluster and may carry some; the other URLs cannot (--url refuses it).
func (s Session) Redacted() Session {
	s.URL, s.HeadlampURL, s.RedirectURI = redact.URLs(s.URL), redact.URLs(s.HeadlampURL), redact.URLs(s.RedirectURI)
	return s
}

// reached is how Headlamp is reached, and what must be closed afterwards.
type reached struct {
	session   *Session
	forwarder *kube.Forwarder
	listeners []net.Listener
}

func (r *reached) close() {
	for _, ln := range r.listeners {
		_ = ln.Close()
	}
	if r.forwarder != nil {
		r.forwarder.Close()
	}
}
