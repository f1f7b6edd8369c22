package oidctest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// RefreshPolicy says how the test IdP treats refresh tokens. The zero value is Dex's: a refresh token
// for every grant that asked for offline_access, redeemable once.
type RefreshPolicy struct {
	// Never issues no refresh token at all, whatever the scopes (an IdP that keeps them from this client).
	Never bool
	// NoGrant refuses the refresh_token grant with unsupported_grant_type, although tokens are issued.
	NoGrant bool
}

// refreshTokens are the refresh tokens issued and not yet redeemed.
type refreshTokens struct {
	mu     sync.Mutex
	issued map[string]bool
}

// IssueRefresh returns a refresh token the IdP will redeem once, as if a sign-in with offline_access
// had just received it.
func (idp *IDP) IssueRefresh() string { return idp.issueRefresh("refresh_token", "") }

// issueRefresh returns a new refresh token when the grant asked for offline_access (or redeems a
// refresh token, which is rotated), else "".
func (idp *IDP) issueRefresh(grant, scope string) string {
	asked := slices.Contains(strings.Fields(scope), "offline_access") || grant == "refresh_token"
	if idp.Refresh.Never || !asked {
		return ""
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "rt-" + hex.EncodeToString(b)
	idp.refresh.mu.Lock()
	defer idp.refresh.mu.Unlock()
	if idp.refresh.issued == nil {
		idp.refresh.issued = map[string]bool{}
	}
	idp.refresh.issued[tok] = true
	return tok
}

// redeem accepts a refresh token it issued, once; otherwise it answers the OAuth error and says no.
func (idp *IDP) redeem(w http.ResponseWriter, tok string) bool {
	if idp.Refresh.NoGrant {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return false
	}
	idp.refresh.mu.Lock()
	defer idp.refresh.mu.Unlock()
	if !idp.refresh.issued[tok] {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return false
	}
	delete(idp.refresh.issued, tok)
	return true
}
