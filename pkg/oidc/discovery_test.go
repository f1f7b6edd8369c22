package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestDiscoverAndKeySetWithTheRightTrust(t *testing.T) {
	idp := newTestIDP(t)
	c, err := Trust{Name: "plugin", PEM: idp.CAPEM()}.HTTPClient()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Discover(t.Context(), c, idp.Issuer+"/")
	if err != nil {
		t.Fatal(err)
	}
	if d.Issuer != idp.Issuer || len(d.PeerCertificates) == 0 || !d.Supports("groups") || d.Supports("nope") {
		t.Errorf("discovery = %+v", d)
	}
	ks, err := FetchKeySet(t.Context(), c, d.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	if info := ks.Info(); len(info) != 1 || info[0].ID != "k1" {
		t.Errorf("keys = %+v, want k1", info)
	}
	// The API server labels the key set it holds with sha256 of the body as served.
	body, err := json.Marshal(idp.Keys)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("sha256:%x", sha256.Sum256(append(body, '\n'))); ks.Hash != want {
		t.Errorf("key set hash = %s, want %s (sha256 of the body)", ks.Hash, want)
	}
}

func TestDiscoverWithoutTheIdPCAIsUntrusted(t *testing.T) {
	idp := newTestIDP(t)
	for _, trust := range []Trust{{Name: "system", SystemRoots: true}, {Name: "headlamp", PEM: otherCAPEM(t)}} {
		c, err := trust.HTTPClient()
		if err != nil {
			t.Fatal(err)
		}
		_, err = Discover(t.Context(), c, idp.Issuer)
		if Classify(err) != ReasonUntrusted {
			t.Errorf("%s: %v classified %q, want %q", trust.Name, err, Classify(err), ReasonUntrusted)
		}
	}
	insecure, _ := Trust{Name: "headlamp", Insecure: true}.HTTPClient()
	if _, err := Discover(t.Context(), insecure, idp.Issuer); err != nil {
		t.Errorf("insecure client: %v", err)
	}
}

func TestDiscoverFailures(t *testing.T) {
	idp := newTestIDP(t)
	c, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	if _, err := Discover(t.Context(), c, idp.Server.URL+"/nope"); Classify(err) != ReasonHTTP || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing document: %v (%s)", err, Classify(err))
	}
	idp.Keys.Keys = nil
	if _, err := FetchKeySet(t.Context(), c, idp.Server.URL+"/dex/keys"); err == nil || !strings.Contains(err.Error(), "no public signing key") {
		t.Errorf("empty key set: %v", err)
	}
}

func TestDiscoverHungIdPObeysTheContext(t *testing.T) {
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	go func() { // accept and never answer
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer func() { _ = conn.Close() }()
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	c, _ := Trust{SystemRoots: true}.HTTPClient()
	_, err = Discover(ctx, c, "https://"+ln.Addr().String())
	if Classify(err) != ReasonTimeout {
		t.Fatalf("hung IdP: %v classified %q, want timeout", err, Classify(err))
	}
}

func TestCompareIssuers(t *testing.T) {
	if CompareIssuers("https://a/dex", "https://a/dex") != nil {
		t.Error("equal issuers differ")
	}
	if err := CompareIssuers("https://a/dex", "https://a/dex/"); err == nil || !strings.Contains(err.Error(), "trailing slash") {
		t.Errorf("trailing slash: %v", err)
	}
	if err := CompareIssuers("https://a/dex", "https://b/dex"); err == nil || strings.Contains(err.Error(), "trailing") {
		t.Errorf("other host: %v", err)
	}
}

func TestWellKnownURL(t *testing.T) {
	for _, iss := range []string{"https://a/dex", "https://a/dex/"} {
		if got := WellKnownURL(iss); got != "https://a/dex/.well-known/openid-configuration" {
			t.Errorf("WellKnownURL(%q) = %q", iss, got)
		}
	}
}
