package oidc

import (
	"crypto/rsa"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// Short names for the test IdP's helpers.
var (
	testKey     = oidctest.Key
	mustKey     = oidctest.MustKey
	aliceClaims = oidctest.AliceClaims
	encodeRaw   = oidctest.EncodeRaw
	otherCAPEM  = oidctest.OtherCAPEM
	newTestIDP  = oidctest.New
)

const testClientSecret = oidctest.ClientSecret

type testIDP = oidctest.IDP

type pendingCode = oidctest.PendingCode

func sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) Secret {
	t.Helper()
	return NewSecret(oidctest.Sign(t, key, kid, claims))
}

func unsigned(claims map[string]any) Secret { return NewSecret(oidctest.Unsigned(claims)) }
