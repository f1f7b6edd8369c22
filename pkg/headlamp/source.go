package headlamp

import (
	"fmt"
	"strings"
)

// Setting names a setting in Sources: a Headlamp flag name without dashes ("oidc-scopes"), or one of
// the pod-level settings below.
type Setting string

// Settings that are not Headlamp flags.
const (
	SettingAPIHost Setting = "api-host" // KUBERNETES_SERVICE_HOST
	SettingAPIPort Setting = "api-port" // KUBERNETES_SERVICE_PORT
	SettingProxyCA Setting = "proxy-ca" // ca.crt in the service account folder
	SettingIDPCA   Setting = "idp-ca"   // SSL_CERT_DIR / SSL_CERT_FILE / -oidc-ca-file
)

// Headlamp flags the model knows; see reference/headlamp.md.
//
//nolint:gosec // flag names, not credentials
const (
	FlagInCluster            Setting = "in-cluster"
	FlagInClusterContextName Setting = "in-cluster-context-name"
	FlagBaseURL              Setting = "base-url"
	FlagInsecureSSL          Setting = "insecure-ssl"
	FlagUnsafeSAToken        Setting = "unsafe-use-service-account-token"
	FlagOIDCClientID         Setting = "oidc-client-id"
	FlagOIDCClientSecret     Setting = "oidc-client-secret"
	FlagOIDCIssuerURL        Setting = "oidc-idp-issuer-url"
	FlagOIDCScopes           Setting = "oidc-scopes"
	FlagOIDCCallbackURL      Setting = "oidc-callback-url"
	FlagOIDCValidatorID      Setting = "oidc-validator-client-id"
	FlagOIDCValidatorIssuer  Setting = "oidc-validator-idp-issuer-url"
	FlagOIDCUseAccessToken   Setting = "oidc-use-access-token"
	FlagOIDCUsePKCE          Setting = "oidc-use-pkce"
	FlagOIDCSkipTLSVerify    Setting = "oidc-skip-tls-verify"
	FlagOIDCCAFile           Setting = "oidc-ca-file"
	FlagSessionTTL           Setting = "session-ttl"
)

// EnvName is the HEADLAMP_CONFIG_* variable that sets a flag.
func (s Setting) EnvName() string {
	return EnvConfigPrefix + strings.ToUpper(strings.ReplaceAll(string(s), "-", "_"))
}

// Sources maps each setting found in a Deployment to where it comes from.
type Sources map[Setting]Source

// Source says where a setting's value comes from. It never holds the value itself, so it is safe to
// print even for the client secret.
type Source struct {
	// Arg is the container argument that sets it, without its value ("-oidc-scopes").
	Arg string `json:"arg,omitempty"`
	// Env is the variable the value is read from: HEADLAMP_CONFIG_*, the variable an argument
	// references as $(VAR), or KUBERNETES_SERVICE_HOST and friends.
	Env string `json:"env,omitempty"`
	// From is the Secret or ConfigMap key behind Env (valueFrom or envFrom); nil for a literal.
	From *KeyRef `json:"from,omitempty"`
	// Volume names the pod volume a CA file comes from.
	Volume string `json:"volume,omitempty"`
	// Default is set when Kubernetes supplies the value, such as the default service account volume.
	Default string `json:"default,omitempty"`
}

// Literal reports whether the value is written into the Deployment itself.
func (s Source) Literal() bool { return s.From == nil && s.Default == "" }

// String reads like "Secret oidc key scopes (env OIDC_SCOPES, argument -oidc-scopes)".
func (s Source) String() string {
	var via []string
	if s.Env != "" {
		via = append(via, "env "+s.Env)
	}
	if s.Arg != "" {
		via = append(via, "argument "+s.Arg)
	}
	if s.Volume != "" {
		via = append(via, "volume "+s.Volume)
	}
	head := "literal"
	switch {
	case s.Default != "":
		head = s.Default
	case s.From != nil:
		head = s.From.String()
	}
	if len(via) == 0 {
		return head
	}
	return fmt.Sprintf("%s (%s)", head, strings.Join(via, ", "))
}
