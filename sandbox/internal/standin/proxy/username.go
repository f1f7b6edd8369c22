package proxy

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// DefaultUsernameClaim is capsule-proxy's --oidc-username-claim default.
const DefaultUsernameClaim = "preferred_username"

// UsernameClaimFromArgs reads --oidc-username-claim from a container's args (Go flag syntax: -name,
// --name, =value or the next argument), else the default.
func UsernameClaimFromArgs(args []string) string {
	claim := DefaultUsernameClaim
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "oidc-username-claim" {
			continue
		}
		if hasValue {
			claim = value
		} else if i+1 < len(args) {
			claim = args[i+1]
		}
	}
	return claim
}

// claimUsername is the user name capsule-proxy takes from a JWT bearer token: the value of the
// username claim. ok is false for a token that is not a JWT, whose name the TokenReview gives.
func claimUsername(token, claim string) (name string, ok bool, err error) {
	claims, isJWT := jwtClaims(token)
	if !isJWT {
		return "", false, nil
	}
	v, found := claims[claim].(string)
	if !found {
		return "", true, fmt.Errorf("missing %s claim in JWT", claim)
	}
	return v, true, nil
}

// jwtClaims decodes the payload of a JWT; false for anything else.
func jwtClaims(token string) (map[string]any, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	payload, decodeErr := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if decodeErr != nil || json.Unmarshal(payload, &claims) != nil {
		return nil, false
	}
	return claims, true
}
