package proxy

import (
	"encoding/base64"
	"testing"
)

func TestUsernameClaimFromArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "preferred_username"},
		{[]string{"--enable-ssl=true", "--oidc-username-claim=email"}, "email"},
		{[]string{"-oidc-username-claim", "sub"}, "sub"},
		{[]string{"--oidc-username-claim-x=no"}, "preferred_username"},
	} {
		if got := UsernameClaimFromArgs(tc.args); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestClaimUsername(t *testing.T) {
	jwt := "e30." + base64.RawURLEncoding.EncodeToString([]byte(`{"email":"alice@example.com","sub":"Cg1hbGljZQ"}`)) + ".sig"
	if name, ok, err := claimUsername(jwt, "email"); name != "alice@example.com" || !ok || err != nil {
		t.Errorf("email claim: %q %v %v", name, ok, err)
	}
	if name, ok, err := claimUsername(jwt, "sub"); name != "Cg1hbGljZQ" || !ok || err != nil {
		t.Errorf("sub claim: %q %v %v", name, ok, err)
	}
	if _, ok, err := claimUsername(jwt, "preferred_username"); !ok || err == nil || err.Error() != "missing preferred_username claim in JWT" {
		t.Errorf("missing claim: %v %v", ok, err)
	}
	if _, ok, err := claimUsername("opaque-service-token", "email"); ok || err != nil {
		t.Errorf("not a JWT: %v %v, want the TokenReview's name", ok, err)
	}
}
