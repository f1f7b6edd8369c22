package oidc

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrEmailNotVerified is what the API server answers (as a 401) to a token whose username claim is
// email while email_verified is present and not true.
var ErrEmailNotVerified = errors.New(`email_verified is false: the API server rejects the token (username claim "email"); verify the address at the IdP or map the username from another claim`)

// ClaimMapping maps one claim to a Kubernetes user attribute, as in an AuthenticationConfiguration's
// claimMappings.username or .groups.
type ClaimMapping struct {
	Claim string
	// Prefix is put before each value. Nil means the legacy --oidc-* default: "<issuer>#" for a
	// username claim other than email, nothing otherwise.
	Prefix *string
}

// Mapping is how the API server turns claims into a user: issuer and claim mappings of one JWT
// authenticator.
type Mapping struct {
	Issuer   string
	Username ClaimMapping
	Groups   ClaimMapping
}

// DefaultMapping is the Capsule guide's mapping: username from email, groups from groups, no prefixes.
func DefaultMapping(issuer string) Mapping {
	none := ""
	return Mapping{
		Issuer:   issuer,
		Username: ClaimMapping{Claim: "email", Prefix: &none},
		Groups:   ClaimMapping{Claim: "groups", Prefix: &none},
	}
}

// GroupsShape says how the groups claim looks in a token.
type GroupsShape string

// The shapes of a groups claim: the API server accepts List and String (one group), rejects Invalid
// with a 401, and gives no groups for Absent.
const (
	GroupsList    GroupsShape = "list"
	GroupsString  GroupsShape = "string"
	GroupsAbsent  GroupsShape = "absent"
	GroupsInvalid GroupsShape = "invalid"
)

// Identity is the Kubernetes user a token maps to.
type Identity struct {
	Username    string      `json:"username"`
	Groups      []string    `json:"groups"`
	GroupsShape GroupsShape `json:"groupsShape"`
}

// Apply maps claims to the user the API server would see, with the API server's rules: the username
// claim must be a non-empty string; with username claim email, email_verified, when present, must be
// true; the groups claim may be a string or a list of strings. The error tells why the API server would
// answer 401.
func (m Mapping) Apply(c Claims) (Identity, error) {
	var id Identity
	name, err := stringClaim(c, m.Username.Claim)
	if err != nil {
		return id, fmt.Errorf("username: %w", err)
	}
	if m.Username.Claim == "email" {
		if err := checkEmailVerified(c); err != nil {
			return id, err
		}
	}
	id.Username = m.usernamePrefix() + name
	id.Groups, id.GroupsShape = m.GroupsOf(c)
	if id.GroupsShape == GroupsInvalid {
		return id, fmt.Errorf("groups: claim %q is neither a string nor a list of strings: the API server rejects the token", m.Groups.Claim)
	}
	return id, nil
}

// GroupsOf returns the groups the API server derives from c (prefix applied) and the claim's shape.
func (m Mapping) GroupsOf(c Claims) ([]string, GroupsShape) {
	groups, shape := groupsClaim(c, m.Groups.Claim)
	var out []string
	for _, g := range groups {
		out = append(out, m.groupsPrefix()+g)
	}
	return out, shape
}

func (m Mapping) usernamePrefix() string {
	switch {
	case m.Username.Prefix != nil:
		return *m.Username.Prefix
	case m.Username.Claim == "email":
		return ""
	default:
		return m.Issuer + "#"
	}
}

func (m Mapping) groupsPrefix() string {
	if m.Groups.Prefix == nil {
		return ""
	}
	return *m.Groups.Prefix
}

func stringClaim(c Claims, name string) (string, error) {
	v, ok := c.Raw[name]
	if !ok {
		return "", fmt.Errorf("claim %q not present in the token: request the scope that adds it, or map another claim", name)
	}
	var s string
	if json.Unmarshal(v, &s) != nil || s == "" {
		return "", fmt.Errorf("claim %q is not a non-empty string", name)
	}
	return s, nil
}

// checkEmailVerified follows the API server: an absent email_verified is accepted; present, it must be
// the boolean true.
func checkEmailVerified(c Claims) error {
	v, ok := c.Raw["email_verified"]
	if !ok {
		return nil
	}
	var verified bool
	if json.Unmarshal(v, &verified) != nil {
		return errors.New(`claim "email_verified" is not a boolean: the API server rejects the token`)
	}
	if !verified {
		return ErrEmailNotVerified
	}
	return nil
}

func groupsClaim(c Claims, name string) ([]string, GroupsShape) {
	v, ok := c.Raw[name]
	if name == "" || !ok || string(v) == "null" {
		return nil, GroupsAbsent
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		return []string{one}, GroupsString
	}
	var many []string
	if json.Unmarshal(v, &many) != nil {
		return nil, GroupsInvalid
	}
	return many, GroupsList
}
