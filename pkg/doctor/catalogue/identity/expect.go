package identity

import (
	"context"
	"errors"
	"strings"

	apiserver "k8s.io/apiserver/pkg/apis/apiserver"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// errNoHeadlampOIDC stops the identity checks when Headlamp has no OIDC client: there is nothing to
// expect of an IdP, and HEADLAMP-OIDC already says why.
var errNoHeadlampOIDC = errors.New("the Headlamp Deployment has no OIDC client configured (see HEADLAMP-OIDC)")

// expectationFact derives what Headlamp and the API server expect of the IdP from facts the earlier
// areas read: Headlamp's Settings and client secret (read once through pkg/headlamp), the IdP CA
// Headlamp mounts, the way login reaches Headlamp (for the redirect URI), and the
// --authentication-config file.
func expectationFact(env area.Env, id Env) engine.Fact {
	deps := names(headlampview.FactModel, headlampview.FactEndpoints, authconfig.Fact)
	return engine.Define(idExpect, deps, func(ctx context.Context, in engine.Facts) (Expectation, error) {
		m, err := headlampview.FactModel.Get(in)
		if err == nil {
			err = m.View.Readable(expectedSettings...)
		}
		if err != nil {
			return Expectation{}, err
		}
		o := m.Settings.OIDC
		if !o.Enabled() {
			return Expectation{}, errNoHeadlampOIDC
		}
		eps, _ := headlampview.FactEndpoints.Get(in) // none found: the guide's port-forward
		redirect, redirectFrom := eps.RedirectURI(m.Settings)
		exp := Expectation{
			Issuer: o.IssuerURL, ClientID: o.ClientID, ValidatorClientID: o.ValidatorClientID,
			ValidatorIssuer: o.ValidatorIssuerURL, Scopes: o.Scopes, ClientSecret: m.ClientSecret,
			RedirectURL: redirect, RedirectFrom: redirectFrom, Ways: eps.Ways(m.Settings),
		}
		if m.View.Readable(headlamp.FlagSessionTTL) == nil {
			exp.SessionTTL = m.Settings.Session() // else unknown: SESSION-LIFETIME says so
		}
		switch {
		case !id.ClientSecret.IsZero():
			exp.ClientSecret = id.ClientSecret
		default:
			exp.ClientSecretErr = m.View.Readable(headlamp.FlagOIDCClientSecret)
		}
		if exp.HeadlampTrust, err = headlampIDPTrust(ctx, env, m); err != nil {
			return exp, err
		}
		ac, _ := authconfig.Fact.Get(in) // a broken file is AUTHN-CONFIG-VALID's finding; the mapping is then assumed
		exp.APIServer = apiServerJWT(ac, exp.TokenIssuer())
		return exp, nil
	})
}

// expectedSettings are the settings the expectation is made of; when doctor could not read one of
// them, what Headlamp expects of the IdP is unknown. The client secret is apart: only the checks that
// send it need it, and --oidc-client-secret-file can stand in for it.
var expectedSettings = []headlamp.Setting{
	headlamp.FlagOIDCIssuerURL, headlamp.FlagOIDCClientID, headlamp.FlagOIDCScopes, headlamp.FlagOIDCCallbackURL,
	headlamp.FlagOIDCValidatorID, headlamp.FlagOIDCValidatorIssuer, headlamp.FlagOIDCSkipTLSVerify, headlamp.SettingIDPCA,
}

// headlampIDPTrust is what Headlamp trusts for IdP calls: -oidc-skip-tls-verify trusts anything;
// -oidc-ca-file replaces the system roots; SSL_CERT_DIR, SSL_CERT_FILE and the guide's trust-store
// volume keep them (Go still reads the default folders) and add the mounted CA: the CA as planned for
// an installation install is about to write, else as the cluster holds it.
func headlampIDPTrust(ctx context.Context, env area.Env, m headlampview.Model) (oidc.Trust, error) {
	s := m.Settings
	t := oidc.Trust{Name: "Headlamp", SystemRoots: true, Insecure: s.OIDC.SkipTLSVerify}
	ca := s.OIDC.CA
	if ca == nil {
		return t, nil
	}
	t.SystemRoots = ca.Trust != headlamp.TrustReplace
	if m.IDPCA != nil {
		t.PEM = m.IDPCA
		return t, nil
	}
	pem, err := headlamp.ReadIDPCA(ctx, env.Kube, s)
	if err != nil {
		access := area.Access{Verb: "get", Resource: "configmaps", Namespace: s.Namespace, Name: ca.From.Name}
		if ca.From.Kind == headlamp.KindSecret {
			access.Resource = "secrets"
		}
		return t, area.WrapAccess(access, err)
	}
	t.PEM = pem
	return t, nil
}

// apiServerJWT is the API server's authenticator for issuer, from the --authentication-config file;
// nil when no file was given or none of its issuers is issuer (give or take a trailing slash, which
// IDP-ISSUER-MATCH then reports).
func apiServerJWT(ac *authconfig.Config, issuer string) *APIServerJWT {
	if ac == nil || ac.Config == nil {
		return nil
	}
	for _, j := range ac.Config.JWT {
		if strings.TrimSuffix(j.Issuer.URL, "/") != strings.TrimSuffix(issuer, "/") {
			continue
		}
		cm := j.ClaimMappings
		return &APIServerJWT{
			Issuer: j.Issuer.URL, Audiences: j.Issuer.Audiences, CAPEM: []byte(j.Issuer.CertificateAuthority),
			Mapping:     oidc.Mapping{Issuer: j.Issuer.URL, Username: claimMapping(cm.Username), Groups: claimMapping(cm.Groups)},
			Expressions: cm.Username.Expression != "" || cm.Groups.Expression != "",
		}
	}
	return nil
}

func claimMapping(p apiserver.PrefixedClaimOrExpression) oidc.ClaimMapping {
	return oidc.ClaimMapping{Claim: p.Claim, Prefix: p.Prefix}
}
