package oidc

import (
	"errors"
	"strings"
	"testing"
)

// TestRefresh: a refresh token from a sign-in with offline_access renews the session once, as the
// client that got it and over a client that trusts the IdP; every other way is refused, with the
// OAuth error and without the credentials in the message.
func TestRefresh(t *testing.T) {
	idp := newTestIDP(t)
	hc, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	signIn := func(t *testing.T) Tokens {
		g := PasswordGrant{Client: testClient(idp, testClientSecret), Username: "alice@example.com", Password: NewSecret("alice-password"),
			Scopes: []string{"openid", "offline_access"}, HTTP: hc}
		tok, err := g.Token(t.Context())
		if err != nil || tok.Refresh.IsZero() {
			t.Fatalf("sign-in with offline_access: refresh token present %v, %v", !tok.Refresh.IsZero(), err)
		}
		return tok
	}
	t.Run("renews", func(t *testing.T) {
		tok := signIn(t)
		got, err := Refresh(t.Context(), hc, testClient(idp, testClientSecret), tok.Refresh)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := ParseToken(got.ID); err != nil || p.Claims.Issuer != idp.Issuer || got.Refresh.IsZero() {
			t.Errorf("refreshed tokens: %v, refresh token present %v", err, !got.Refresh.IsZero())
		}
		if _, err := Refresh(t.Context(), hc, testClient(idp, testClientSecret), tok.Refresh); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
			t.Errorf("a redeemed refresh token again: %v, want invalid_grant", err)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		_, err := Refresh(t.Context(), hc, testClient(idp, "wrong"), signIn(t).Refresh)
		if !errors.Is(err, ErrClientRejected) || strings.Contains(err.Error(), "wrong") || strings.Contains(err.Error(), "rt-") {
			t.Errorf("wrong secret: %v, want ErrClientRejected without credentials", err)
		}
	})
	t.Run("no grant", func(t *testing.T) {
		tok := signIn(t)
		idp.Refresh.NoGrant = true
		defer func() { idp.Refresh.NoGrant = false }()
		if _, err := Refresh(t.Context(), hc, testClient(idp, testClientSecret), tok.Refresh); err == nil || !strings.Contains(err.Error(), "unsupported_grant_type") {
			t.Errorf("an IdP without the grant: %v", err)
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		other, _ := Trust{PEM: otherCAPEM(t)}.HTTPClient()
		_, err := Refresh(t.Context(), other, testClient(idp, testClientSecret), signIn(t).Refresh)
		if Classify(err) != ReasonUntrusted {
			t.Errorf("over a client that does not trust the IdP: %v (%s), want untrusted", err, Classify(err))
		}
	})
	if _, err := Refresh(t.Context(), hc, testClient(idp, testClientSecret), Secret{}); !errors.Is(err, ErrNoRefreshToken) {
		t.Errorf("no refresh token: %v", err)
	}
}
