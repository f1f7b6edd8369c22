package headlamp

import (
	"strings"

	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
)

// serviceAccount gets no automatic token: the pod projects its own, next to capsule-proxy's CA.
func serviceAccount(s Settings) *corev1ac.ServiceAccountApplyConfiguration {
	return corev1ac.ServiceAccount(s.ServiceAccount, s.Namespace).
		WithLabels(Labels(s)).
		WithAutomountServiceAccountToken(false)
}

// oidcEnv pairs each OIDC string setting with its key in our Secret; Headlamp reads them from
// HEADLAMP_CONFIG_* variables, so no value is ever a literal in the Deployment.
type oidcEnv struct {
	flag  Setting
	key   string
	value func(OIDC) string
}

var oidcEnvs = []oidcEnv{
	{FlagOIDCClientID, SecretKeyClientID, func(o OIDC) string { return o.ClientID }},
	{FlagOIDCIssuerURL, SecretKeyIssuerURL, func(o OIDC) string { return o.IssuerURL }},
	{FlagOIDCScopes, SecretKeyScopes, func(o OIDC) string { return strings.Join(o.Scopes, ",") }},
	{FlagOIDCCallbackURL, SecretKeyCallbackURL, func(o OIDC) string { return o.CallbackURL }},
	{FlagOIDCValidatorID, SecretKeyValidatorClientID, func(o OIDC) string { return o.ValidatorClientID }},
	{FlagOIDCValidatorIssuer, SecretKeyValidatorIssuerURL, func(o OIDC) string { return o.ValidatorIssuerURL }},
}

// oidcSecret holds the OIDC settings, and the client secret when it is referenced from this Secret.
func oidcSecret(s Settings, m Material) *corev1ac.SecretApplyConfiguration {
	data := map[string][]byte{}
	for _, e := range oidcEnvs {
		if v := e.value(s.OIDC); v != "" {
			data[e.key] = []byte(v)
		}
	}
	if ref := s.OIDC.ClientSecret; ref != nil && ref.Kind == KindSecret && ref.Name == SecretName(s.Name) {
		data[ref.Key] = []byte(m.ClientSecret)
	}
	return corev1ac.Secret(SecretName(s.Name), s.Namespace).
		WithLabels(Labels(s)).
		WithType("Opaque").
		WithData(data)
}

// caConfigMap holds a CA certificate, never a key.
func caConfigMap(s Settings, name string, pem []byte) *corev1ac.ConfigMapApplyConfiguration {
	return corev1ac.ConfigMap(name, s.Namespace).
		WithLabels(Labels(s)).
		WithData(map[string]string{CAKey: string(pem)})
}
