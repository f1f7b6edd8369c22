package oidc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// redirectCheckTimeout bounds each call to the IdP: a check, not a wait.
const redirectCheckTimeout = 10 * time.Second

// NoRedirects returns a copy of an IdP client that follows no redirect, as CheckRedirectURI needs.
func NoRedirects(c *http.Client) *http.Client {
	out := *c
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &out
}

// RedirectVerdict is what the IdP said about a redirect URI.
type RedirectVerdict struct {
	// Checked is false when the IdP could not be asked; Reason says why.
	Checked  bool
	Accepted bool
	// Status is the HTTP status of the authorization endpoint's answer.
	Status int
	// Reason is the IdP's own words when it refused, or why there was no check.
	Reason string
}

// CheckRedirectURI asks the IdP's authorization endpoint (found by discovery at issuer) to start a
// sign-in for clientID with redirectURI, the way Headlamp's /oidc sends the browser, following the
// IdP's redirects only within the IdP. An IdP that knows the URI ends on its login page (or sends the
// browser on); one that does not answers an error page with a 4xx status (Dex: 400 "Unregistered
// redirect_uri"). client must not follow redirects (NoRedirects).
func CheckRedirectURI(ctx context.Context, client *http.Client, issuer, clientID, redirectURI string) RedirectVerdict {
	endpoint, err := authorizationEndpoint(ctx, client, issuer)
	if err != nil {
		return RedirectVerdict{Reason: err.Error()}
	}
	return CheckRedirectURIAt(ctx, client, endpoint, clientID, redirectURI)
}

// CheckRedirectURIAt is CheckRedirectURI with the authorization endpoint already discovered: for
// asking about several redirect URIs at once.
func CheckRedirectURIAt(ctx context.Context, client *http.Client, endpoint, clientID, redirectURI string) RedirectVerdict {
	q := url.Values{
		"client_id":     {clientID},
		"redirect_uri":  {redirectURI},
		"response_type": {"code"},
		"scope":         {"openid"},
		"state":         {randomState()},
	}
	sep := "?"
	if strings.Contains(endpoint, "?") {
		sep = "&"
	}
	resp, err := followWithinIDP(ctx, client, endpoint+sep+q.Encode())
	if err != nil {
		return RedirectVerdict{Reason: fmt.Sprintf("ask the authorization endpoint: %v", err)}
	}
	defer func() { _ = resp.Body.Close() }()
	v := RedirectVerdict{Checked: true, Status: resp.StatusCode}
	switch {
	case resp.StatusCode < 400:
		v.Accepted = true
	case resp.StatusCode < 500:
		v.Reason = pageText(io.LimitReader(resp.Body, 64<<10))
	default:
		v.Checked = false
		v.Reason = fmt.Sprintf("the authorization endpoint answered %s", resp.Status)
	}
	return v
}

// maxIDPHops bounds the redirects followed inside the IdP.
const maxIDPHops = 5

// followWithinIDP GETs u and follows redirects as long as they stay on the IdP's own origin: Dex, for
// one, validates the request only after redirecting /auth to its connector's page. A redirect that
// leaves the IdP (to an upstream IdP, or to the redirect URI itself) is the answer: the IdP let the
// request through. client must not follow redirects itself.
func followWithinIDP(ctx context.Context, client *http.Client, u string) (*http.Response, error) {
	start, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	for hop := 0; ; hop++ {
		resp, err := getIDP(ctx, client, u)
		if err != nil {
			return nil, err
		}
		next, ok := redirectWithin(resp, start)
		if !ok {
			return resp, nil
		}
		_ = resp.Body.Close()
		if hop == maxIDPHops {
			return nil, fmt.Errorf("more than %d redirects inside the IdP", maxIDPHops)
		}
		u = next.String()
	}
}

// redirectWithin returns where resp sends the browser when that is on origin's scheme and host. A
// response without a Location (the IdP's own page) or with one elsewhere is the IdP's answer: false.
func redirectWithin(resp *http.Response, origin *url.URL) (*url.URL, bool) {
	next, err := resp.Location()
	if err != nil {
		// http.ErrNoLocation, or a Location that is not a URL: either way, no redirect to follow.
		return nil, false
	}
	return next, next.Scheme == origin.Scheme && next.Host == origin.Host
}

// authorizationEndpoint discovers the IdP's authorization endpoint.
func authorizationEndpoint(ctx context.Context, client *http.Client, issuer string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, redirectCheckTimeout)
	defer cancel()
	d, err := Discover(ctx, client, issuer)
	if err != nil {
		return "", fmt.Errorf("read the IdP's discovery document: %w", err)
	}
	if d.AuthorizationEndpoint == "" {
		return "", fmt.Errorf("the IdP's discovery document %s names no authorization_endpoint", WellKnownURL(issuer))
	}
	return d.AuthorizationEndpoint, nil
}

func getIDP(ctx context.Context, client *http.Client, u string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, redirectCheckTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// randomState is a throwaway OAuth state: the probe never completes a sign-in.
func randomState() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
