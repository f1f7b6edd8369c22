package proxy

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// DefaultUsernameClaim is capsule-proxy's --oidc-username-claim default.
const DefaultUsernameClaim = "preferred_username"

// DefaultConfigName is capsule-proxy's --capsule-configuration-name default.
const DefaultConfigName = "default"

// UsernameClaimFromArgs reads --oidc-username-claim from a container's args, else the default.
func UsernameClaimFromArgs(args []string) string {
	return FlagFromArgs(args, "oidc-username-claim", DefaultUsernameClaim)
}

// ConfigNameFromArgs reads --capsule-configuration-name from a container's args, else the default.
func ConfigNameFromArgs(args []string) string {
	return FlagFromArgs(args, "capsule-configuration-name", DefaultConfigName)
}

// FlagFromArgs reads the string flag name from a container's args (Go flag syntax: -name, --name,
// =value or the next argument; the last one wins), else def.
func FlagFromArgs(args []string, name, def string) string {
	value := def
	for i, a := range args {
		n, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || n != name {
			continue
		}
		if hasValue {
			value = v
		} else if i+1 < len(args) {
			value = args[i+1]
		}
	}
	return value
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
