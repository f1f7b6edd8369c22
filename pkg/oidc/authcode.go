package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// CallbackPath is Headlamp's redirect path: the browser flow reuses the Headlamp client's registered
// redirect URI, so no new URI has to be registered at the IdP.
const CallbackPath = "/oidc-callback"

// Opener opens a URL in the user's browser (the launcher seam of pkg/browser).
type Opener interface {
	Open(ctx context.Context, url string) error
}

// AuthCode obtains an ID token with the authorization code flow and PKCE: a loopback listener on the
// port of http://localhost:<port>/oidc-callback receives the code, which is exchanged as Headlamp's client.
type AuthCode struct {
	Client  Client
	Scopes  []string
	Port    int
	Browser Opener
	HTTP    *http.Client
	// Progress receives one line telling the user to sign in (the URL carries no credential).
	Progress io.Writer
}

// RedirectURL is the redirect URI the flow uses.
func (a AuthCode) RedirectURL() string {
	return "http://localhost:" + strconv.Itoa(a.Port) + CallbackPath
}

// Describe names the flow.
func (a AuthCode) Describe() string { return "browser sign-in on " + a.RedirectURL() }

// Token runs the flow: listen, open the browser, wait for the callback (or ctx), exchange the code.
func (a AuthCode) Token(ctx context.Context) (Tokens, error) {
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(a.Port)))
	if err != nil {
		return Tokens{}, fmt.Errorf("listen on %s for the browser's redirect (is `login` or a port-forward using port %d? choose another with --port, registered at the IdP): %w", a.RedirectURL(), a.Port, err)
	}
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	cfg := a.Client.config(a.Scopes, a.RedirectURL())
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce))
	codes := make(chan callback, 1)
	srv := &http.Server{Handler: callbackHandler(state, codes), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()
	if a.Progress != nil {
		_, _ = fmt.Fprintf(a.Progress, "Sign in with your browser; if it does not open, visit:\n  %s\n", authURL)
	}
	if err := a.Browser.Open(ctx, authURL); err != nil {
		return Tokens{}, fmt.Errorf("open the browser: %w (visit the URL above by hand)", err)
	}
	var cb callback
	select {
	case <-ctx.Done():
		return Tokens{}, fmt.Errorf("wait for the browser sign-in: %w", ctx.Err())
	case cb = <-codes:
	}
	if cb.err != nil {
		return Tokens{}, cb.err
	}
	return a.exchange(ctx, cfg, cb.code, verifier, nonce)
}

func (a AuthCode) exchange(ctx context.Context, cfg *oauth2.Config, code, verifier, nonce string) (Tokens, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, a.HTTP)
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Tokens{}, tokenEndpointError("exchange the authorization code", err)
	}
	got, err := tokensOf(tok)
	if err != nil {
		return Tokens{}, err
	}
	if p, err := ParseToken(got.ID); err != nil || p.Claims.Nonce != nonce {
		return Tokens{}, errors.New("the ID token does not carry the nonce of this sign-in: refused (replayed token?)")
	}
	return got, nil
}

type callback struct {
	code string
	err  error
}

// callbackHandler accepts one redirect carrying the expected state.
func callbackHandler(state string, out chan<- callback) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("state") != state {
			http.Error(w, "unexpected state: start the sign-in again from the command line", http.StatusBadRequest)
			return
		}
		var cb callback
		if e := q.Get("error"); e != "" {
			cb.err = fmt.Errorf("the IdP refused the sign-in: %s %s", e, q.Get("error_description"))
		} else {
			cb.code = q.Get("code")
		}
		select {
		case out <- cb:
			_, _ = io.WriteString(w, "Signed in: you can close this tab and return to the terminal.\n")
		default:
			http.Error(w, "this sign-in was already completed", http.StatusConflict)
		}
	})
	return mux
}

// randomString returns 32 random bytes, base64url: for state and nonce.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
