package oidc

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func claimsOf(t *testing.T, js string) Claims {
	t.Helper()
	raw := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatal(err)
	}
	c, err := decodeClaims(raw)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMappingApply(t *testing.T) {
	const iss = "https://idp.example"
	oidcPrefix := "oidc:"
	prefixed := DefaultMapping(iss)
	prefixed.Groups.Prefix = &oidcPrefix
	bySub := Mapping{Issuer: iss, Username: ClaimMapping{Claim: "sub"}, Groups: ClaimMapping{Claim: "groups"}}
	cases := []struct {
		name    string
		m       Mapping
		claims  string
		want    Identity
		wantErr string
	}{
		{"alice", DefaultMapping(iss), `{"email":"alice@example.com","email_verified":true,"groups":["tenant-a-owners","developers"]}`,
			Identity{"alice@example.com", []string{"tenant-a-owners", "developers"}, GroupsList}, ""},
		{"email_verified absent is accepted", DefaultMapping(iss), `{"email":"a@example.com","groups":["g"]}`,
			Identity{"a@example.com", []string{"g"}, GroupsList}, ""},
		{"email_verified false", DefaultMapping(iss), `{"email":"a@example.com","email_verified":false}`, Identity{}, "email_verified is false"},
		{"email_verified as a string", DefaultMapping(iss), `{"email":"a@example.com","email_verified":"true"}`, Identity{}, "not a boolean"},
		{"email_verified ignored for other claims", bySub, `{"sub":"42","email_verified":false}`,
			Identity{"https://idp.example#42", nil, GroupsAbsent}, ""},
		{"groups as a string", DefaultMapping(iss), `{"email":"a@example.com","groups":"tenant-a-owners"}`,
			Identity{"a@example.com", []string{"tenant-a-owners"}, GroupsString}, ""},
		{"groups absent", DefaultMapping(iss), `{"email":"a@example.com"}`, Identity{"a@example.com", nil, GroupsAbsent}, ""},
		{"groups of numbers", DefaultMapping(iss), `{"email":"a@example.com","groups":[1,2]}`, Identity{}, "neither a string nor a list"},
		{"groups prefix", prefixed, `{"email":"a@example.com","groups":["tenant-a-owners"]}`,
			Identity{"a@example.com", []string{"oidc:tenant-a-owners"}, GroupsList}, ""},
		{"username claim missing", DefaultMapping(iss), `{"sub":"x"}`, Identity{}, `"email" not present`},
		{"username claim empty", DefaultMapping(iss), `{"email":""}`, Identity{}, "not a non-empty string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.Apply(claimsOf(t, tc.claims))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Username != tc.want.Username || !slices.Equal(got.Groups, tc.want.Groups) || got.GroupsShape != tc.want.GroupsShape {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestEmailNotVerifiedIsTyped(t *testing.T) {
	_, err := DefaultMapping("x").Apply(claimsOf(t, `{"email":"a@b","email_verified":false}`))
	if !errors.Is(err, ErrEmailNotVerified) {
		t.Fatalf("err = %v, want ErrEmailNotVerified", err)
	}
}
