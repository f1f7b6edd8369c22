package identity

import (
	"context"
	"errors"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// rankCauses explains a 401 from what the run saw: causes proven by the token and the known
// configuration first, then the likely ones, in the order they are met in practice. It does not wait
// for the IdP: a token from a file is judged even when the IdP hangs.
func rankCauses(ctx context.Context, f engine.Facts) []string {
	exp, _ := idExpect.Get(f)
	t, err := idToken.Get(f)
	if err != nil || t.Parsed == nil {
		return []string{"the token could not be read: see " + string(IDTokenObtained)}
	}
	now, _ := idServerTime.Get(f)
	c := t.Parsed.Claims
	v := oidc.Verify(ctx, t.Token, c, verifyInput(exp, nil, now))
	m, _ := exp.Mapping()
	_, mapErr := m.Apply(c)
	var sure, likely []string
	add := func(cond bool, list *[]string, format string, args ...any) {
		if cond {
			*list = append(*list, fmt.Sprintf(format, args...))
		}
	}
	add(v.Expiry != nil, &sure, "expired: %v", v.Expiry)
	add(errors.Is(mapErr, oidc.ErrEmailNotVerified), &sure, "email not verified: %v", mapErr)
	add(mapErr != nil && !errors.Is(mapErr, oidc.ErrEmailNotVerified), &sure, "claims: %v", mapErr)
	if exp.APIServer != nil {
		add(!c.HasAudience(exp.APIServer.Audiences...), &sure, "audience not accepted: the API server accepts %q, the token has %q", exp.APIServer.Audiences, c.Audience)
		add(oidc.CompareIssuers(exp.APIServer.Issuer, c.Issuer) != nil, &sure, "issuer mismatch: %v", oidc.CompareIssuers(exp.APIServer.Issuer, c.Issuer))
	} else {
		add(true, &likely, "audience not accepted: the API server's jwt[].issuer.audiences may lack %q (or MatchAny is missing)", c.Audience)
		add(true, &likely, "issuer mismatch: the API server's jwt[].issuer.url may differ from %q (a trailing slash counts)", c.Issuer)
	}
	add(v.Issuer != nil, &likely, "issuer mismatch: %v", v.Issuer)
	add(true, &likely, "issuer unreachable from the API server: its jwt[].issuer.certificateAuthority (see %s), network or DNS for %q; the authenticator retries every 10s and answers 401 meanwhile", IDIdPAPIServerTrust, c.Issuer)
	return append(sure, likely...)
}
