package headlamp

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// setters apply a flag's value to Settings, one per flag the model knows; other flags are ignored.
var setters = map[Setting]func(*Settings, string) error{
	FlagInCluster:            boolSetter(func(s *Settings) *bool { return &s.InCluster }),
	FlagInClusterContextName: stringSetter(func(s *Settings) *string { return &s.InClusterContextName }),
	FlagBaseURL:              stringSetter(func(s *Settings) *string { return &s.BaseURL }),
	FlagInsecureSSL:          boolSetter(func(s *Settings) *bool { return &s.InsecureSSL }),
	FlagUnsafeSAToken:        boolSetter(func(s *Settings) *bool { return &s.UnsafeServiceAccountToken }),
	FlagOIDCClientID:         stringSetter(func(s *Settings) *string { return &s.OIDC.ClientID }),
	FlagOIDCClientSecret:     func(*Settings, string) error { return nil }, // never kept in Settings
	FlagOIDCIssuerURL:        stringSetter(func(s *Settings) *string { return &s.OIDC.IssuerURL }),
	FlagOIDCScopes:           setScopes,
	FlagOIDCCallbackURL:      stringSetter(func(s *Settings) *string { return &s.OIDC.CallbackURL }),
	FlagOIDCValidatorID:      stringSetter(func(s *Settings) *string { return &s.OIDC.ValidatorClientID }),
	FlagOIDCValidatorIssuer:  stringSetter(func(s *Settings) *string { return &s.OIDC.ValidatorIssuerURL }),
	FlagOIDCUseAccessToken:   boolSetter(func(s *Settings) *bool { return &s.OIDC.UseAccessToken }),
	FlagOIDCUsePKCE:          boolSetter(func(s *Settings) *bool { return &s.OIDC.UsePKCE }),
	FlagOIDCSkipTLSVerify:    boolSetter(func(s *Settings) *bool { return &s.OIDC.SkipTLSVerify }),
	FlagOIDCCAFile:           setCAFile,
	FlagSessionTTL:           setSessionTTL,
}

func stringSetter(field func(*Settings) *string) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		*field(s) = v
		return nil
	}
}

func boolSetter(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not a boolean: Headlamp will refuse to start", v)
		}
		*field(s) = b
		return nil
	}
}

// setScopes splits on commas only, exactly as Headlamp does: a space-separated list stays one scope,
// which is how the doctor can point at it.
func setScopes(s *Settings, v string) error {
	s.OIDC.Scopes = nil
	if v != "" {
		s.OIDC.Scopes = strings.Split(v, ",")
	}
	return nil
}

// setCAFile records the path; readIDPCA finds the volume behind it.
func setCAFile(s *Settings, v string) error {
	s.OIDC.CA = &CA{Trust: TrustReplace, Path: v}
	return nil
}

// setSessionTTL reads -session-ttl, whole seconds as Go's flag package parses an int.
func setSessionTTL(s *Settings, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a number of seconds: Headlamp will refuse to start", v)
	}
	s.SessionTTL = time.Duration(n) * time.Second
	return nil
}
