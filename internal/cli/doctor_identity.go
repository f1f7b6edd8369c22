package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// defaultLoginPort is the port of Headlamp's redirect URI under the guide's port-forward (8080:80).
const defaultLoginPort = 8080

// identityOptions are doctor's flags for the identity checks: where the user's token comes from, how
// the plugin trusts the IdP and reaches capsule-proxy, and the support bundle. No flag takes a
// credential's value: tokens, passwords and secrets come from files, standard input or a prompt.
type identityOptions struct {
	tokenFile        string
	username         string
	passwordFile     string
	clientSecretFile string
	browser          bool
	port             int
	oidcCAFile       string
	proxyAddress     string
	bundle           string
	forceBundle      bool
}

// addIdentityFlags binds the identity flags; doctor.go calls it.
func addIdentityFlags(fs *pflag.FlagSet, o *identityOptions) {
	fs.StringVar(&o.tokenFile, "token-file", "", "File holding the user's ID token, or - for standard input (never pass a token as an argument)")
	fs.StringVar(&o.username, "username", "", "Sign in as this user with the password grant, as Headlamp's client (the password is prompted for)")
	fs.StringVar(&o.passwordFile, "password-file", "", "File holding the password for --username (instead of the prompt)")
	fs.StringVar(&o.clientSecretFile, "oidc-client-secret-file", "", "File holding Headlamp's client secret (default: read from the Secret Headlamp uses)")
	fs.BoolVar(&o.browser, "browser", false, "Sign in with the browser (authorization code + PKCE) on Headlamp's redirect http://localhost:<port>/oidc-callback")
	fs.IntVar(&o.port, "port", defaultLoginPort, "Local port of the redirect URI for --browser; it must be registered at the IdP")
	fs.StringVar(&o.oidcCAFile, "oidc-ca-file", "", "CA bundle (PEM) the plugin trusts for the IdP, besides the system roots")
	fs.StringVar(&o.proxyAddress, "proxy-address", "", "host:port of capsule-proxy (an Ingress, your own port-forward) for the user token's review and namespace list through it (REVIEW-PROXY, TENANT-NAMESPACES); PROXY-TLS-LIVE and PROXY-HEALTHZ still port-forward to a proxy pod")
	fs.StringVar(&o.bundle, "bundle", "", "Write a support bundle (report, redacted claims, certificate summaries, scrubbed specs, events) to this new .tar.gz file (mode 0600)")
	fs.BoolVar(&o.forceBundle, "force", false, "Replace the --bundle file if it exists (a symlink there is replaced, never followed)")
}

// validate checks the identity flags without side effects.
func (o *identityOptions) validate() error {
	sources := 0
	for _, set := range []bool{o.tokenFile != "", o.username != "", o.browser} {
		if set {
			sources++
		}
	}
	switch {
	case sources > 1:
		return usageErrorf("--token-file, --username and --browser are alternatives: pass one")
	case o.passwordFile != "" && o.username == "":
		return usageErrorf("--password-file needs --username")
	case o.stdinReaders() > 1:
		return usageErrorf("standard input can hold only one of --oidc-client-secret-file, --token-file and --password-file: pass - to one, a file to the others")
	case o.port < 1 || o.port > 65535:
		return usageErrorf("--port %d is not a TCP port", o.port)
	case o.bundle != "" && !strings.HasSuffix(o.bundle, ".tar.gz") && !strings.HasSuffix(o.bundle, ".tgz"):
		return usageErrorf("--bundle %q: name the file .tar.gz", o.bundle)
	case o.forceBundle && o.bundle == "":
		return usageErrorf("--force replaces an existing --bundle file: it needs --bundle")
	}
	return validProxyAddress(o.proxyAddress)
}

// validProxyAddress accepts an empty --proxy-address, or host:port with a TCP port.
func validProxyAddress(address string) error {
	if address == "" {
		return nil
	}
	if strings.ContainsAny(address, "@/") { // user info or a URL: never repeated, it may hold a password
		return usageErrorf("--proxy-address: give host:port alone, without scheme, user info or path, e.g. localhost:9001")
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return usageErrorf("--proxy-address %q: %w: give host:port, e.g. localhost:9001", address, err)
	}
	if n, err := strconv.Atoi(port); host == "" || err != nil || n < 1 || n > 65535 {
		return usageErrorf("--proxy-address %q: give a host and a TCP port, e.g. localhost:9001", address)
	}
	return nil
}

// stdinReaders counts the credential flags reading standard input ("-"): it can be read only once.
func (o *identityOptions) stdinReaders() int {
	n := 0
	for _, path := range []string{o.clientSecretFile, o.tokenFile, o.passwordFile} {
		if path == "-" {
			n++
		}
	}
	return n
}

// tokenFromIDP tells whether the token source talks to the IdP.
func (o *identityOptions) tokenFromIDP() bool { return o.username != "" || o.browser }

// identityIO is what building a token source may use: standard input, the prompt's terminal, and
// the browser launcher.
type identityIO struct {
	in      io.Reader
	errOut  io.Writer
	prompt  func(ctx context.Context, label string) (oidc.Secret, error)
	browser oidc.Opener
}

// tokenSource returns the identity inputs' token source factory, or nil without a token flag.
func (o *identityOptions) tokenSource(sio identityIO) func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
	switch {
	case o.tokenFile != "":
		return func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
			return oidc.FileSource{Path: o.tokenFile, Stdin: sio.in}, nil
		}
	case o.username != "":
		return func(exp identity.Expectation, d *oidc.Discovery, hc *http.Client) (oidc.Source, error) {
			return o.passwordGrant(sio, oidc.PasswordGrant{Client: client(exp, d), Username: o.username, Scopes: scopes(exp), HTTP: hc})
		}
	case o.browser:
		return func(exp identity.Expectation, d *oidc.Discovery, hc *http.Client) (oidc.Source, error) {
			if sio.browser == nil {
				return nil, errors.New("no browser launcher in this build: use --token-file or --username")
			}
			src := oidc.AuthCode{Client: client(exp, d), Scopes: scopes(exp), Port: o.port, Browser: sio.browser, HTTP: hc, Progress: sio.errOut}
			return announced{Source: src, w: sio.errOut, note: "Waiting for the browser sign-in before the checks run (Ctrl-C to stop)..."}, nil
		}
	}
	return nil
}

// passwordGrant completes g with the password from --password-file, or asks for it on the terminal
// when the token is requested: the prompt then ends with the command's context.
func (o *identityOptions) passwordGrant(sio identityIO, g oidc.PasswordGrant) (oidc.Source, error) {
	if o.passwordFile != "" {
		pw, err := readCredential("--password-file", o.passwordFile, sio.in, "the password")
		g.Password = pw
		return g, err
	}
	if sio.prompt == nil {
		return nil, errors.New("no terminal to ask for the password: pass --password-file")
	}
	return promptedGrant{grant: g, prompt: sio.prompt}, nil
}

// promptedGrant is a password grant whose password is asked for when the token is requested.
type promptedGrant struct {
	grant  oidc.PasswordGrant
	prompt func(ctx context.Context, label string) (oidc.Secret, error)
}

// Token asks for the password, then runs the grant.
func (p promptedGrant) Token(ctx context.Context) (oidc.Tokens, error) {
	pw, err := p.prompt(ctx, "Password for "+p.grant.Username+": ")
	if err != nil {
		return oidc.Tokens{}, err
	}
	p.grant.Password = pw
	return p.grant.Token(ctx)
}

// Describe names the grant, never the password.
func (p promptedGrant) Describe() string { return p.grant.Describe() }

// announced is a token source that says on the terminal what it waits for, as it starts to.
type announced struct {
	oidc.Source
	w    io.Writer
	note string
}

// Token says what it waits for, then gets the token.
func (a announced) Token(ctx context.Context) (oidc.Tokens, error) {
	_, _ = fmt.Fprintln(a.w, a.note)
	return a.Source.Token(ctx)
}

// client is Headlamp's OIDC client at the discovered endpoints.
func client(exp identity.Expectation, d *oidc.Discovery) oidc.Client {
	return oidc.Client{ID: exp.ClientID, Secret: exp.ClientSecret, TokenURL: d.TokenEndpoint, AuthURL: d.AuthorizationEndpoint}
}

// scopes are Headlamp's scopes with openid first, as Headlamp sends them.
func scopes(exp identity.Expectation) []string {
	out := []string{"openid"}
	for _, s := range exp.Scopes {
		if s != "openid" && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pluginTrust is how the plugin reaches the IdP: system roots plus --oidc-ca-file.
func (o *identityOptions) pluginTrust() (oidc.Trust, error) {
	t := oidc.Trust{Name: "this plugin", SystemRoots: true}
	if o.oidcCAFile == "" {
		return t, nil
	}
	ca, err := readCAFile("--oidc-ca-file", o.oidcCAFile)
	t.PEM = ca.PEM
	return t, err
}
