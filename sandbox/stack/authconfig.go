package stack

import (
	"fmt"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
	"sigs.k8s.io/yaml"
)

// HealthyAuthConfig is the AuthenticationConfiguration the sandbox runs with: Dex as issuer, both
// clients as audiences (MatchAny), email as username and groups as groups, both without prefix.
func HealthyAuthConfig(oidcCAPEM string) apiserverv1.AuthenticationConfiguration {
	empty := ""
	return apiserverv1.AuthenticationConfiguration{
		TypeMeta: metav1.TypeMeta{APIVersion: "apiserver.config.k8s.io/v1", Kind: "AuthenticationConfiguration"},
		JWT: []apiserverv1.JWTAuthenticator{{
			Issuer: apiserverv1.Issuer{
				URL:                  IssuerURL,
				CertificateAuthority: oidcCAPEM,
				Audiences:            []string{HeadlampClientID, KubernetesClientID},
				AudienceMatchPolicy:  apiserverv1.AudienceMatchPolicyMatchAny,
			},
			ClaimMappings: apiserverv1.ClaimMappings{
				Username: apiserverv1.PrefixedClaimOrExpression{Claim: "email", Prefix: &empty},
				Groups:   apiserverv1.PrefixedClaimOrExpression{Claim: "groups", Prefix: &empty},
			},
		}},
	}
}

// healthyAuthConfig builds the healthy configuration from the state folder's OIDC CA.
func healthyAuthConfig(l Layout) (apiserverv1.AuthenticationConfiguration, error) {
	ca, err := os.ReadFile(l.PKI("oidc-ca.crt"))
	if err != nil {
		return apiserverv1.AuthenticationConfiguration{}, fmt.Errorf("read the OIDC CA: %w", err)
	}
	return HealthyAuthConfig(string(ca)), nil
}

func writeAuthConfig(l Layout, cfg apiserverv1.AuthenticationConfiguration) error {
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encode authentication config: %w", err)
	}
	if err := os.WriteFile(l.AuthConfig(), data, 0o600); err != nil {
		return fmt.Errorf("write authentication config: %w", err)
	}
	return nil
}
