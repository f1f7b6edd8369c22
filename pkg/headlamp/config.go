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

// oidcEnv pairs each OIDC string setting with its key in our ConfigMap; Headlamp reads them from
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

// oidcConfigMap holds the OIDC settings that are no secret: apart from the client secret, so that
// tenants may be allowed to read them (login checks the redirect URI with them).
func oidcConfigMap(s Settings) *corev1ac.ConfigMapApplyConfiguration {
	data := map[string]string{}
	for _, e := range oidcEnvs {
		if v := e.value(s.OIDC); v != "" {
			data[e.key] = v
		}
	}
	return corev1ac.ConfigMap(ConfigMapName(s.Name), s.Namespace).WithLabels(Labels(s)).WithData(data)
}

// oidcSecret holds the client secret, when it is referenced from this Secret, and nothing else.
// Applied over an installation of the earlier layout, it drops the settings kept there before:
// server-side apply removes the keys our field manager set and no longer sets.
func oidcSecret(s Settings, m Material) *corev1ac.SecretApplyConfiguration {
	data := map[string][]byte{}
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
