package headlamp

import (
	"context"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func oidcChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDOIDC, Title: "Headlamp has an OIDC client configured", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint: "Set HEADLAMP_CONFIG_OIDC_CLIENT_ID, HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL, HEADLAMP_CONFIG_OIDC_SCOPES and " +
				"HEADLAMP_CONFIG_OIDC_CLIENT_SECRET (from a Secret) on the container, with -in-cluster; or reinstall with `kubectl capsule-headlamp install`",
			Explain: "Headlamp turns in-cluster OIDC on only when client id, issuer URL and scopes are all set " +
				"(flags, HEADLAMP_CONFIG_* env, or the chart's OIDC_* env turned into flags).",
			Run: checkHeadlampOIDC,
		},
		{
			ID: IDScopes, Title: "Headlamp asks for the scopes the claim mappings need", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDOIDC}, Needs: []engine.FactName{headlampview.FactView.Name(), authconfig.Fact.Name()},
			Hint: "Set the scopes comma (or space) separated, e.g. HEADLAMP_CONFIG_OIDC_SCOPES=profile,email,groups,offline_access " +
				"(install: --oidc-scopes profile,email,groups,offline_access; Headlamp adds openid itself, splits on commas and sends the scopes space separated)",
			Explain: "The IdP puts the groups and email claims in the token only when asked; offline_access " +
				"gives Headlamp a refresh token (without it sessions end when the ID token expires). Each scope must be " +
				"one word: an empty one, or two joined by a space or a semicolon, reach the IdP as one unknown scope.",
			Run: checkHeadlampScopes,
		},
		{
			ID: IDInsecureSSL, Title: "Headlamp verifies the IdP's certificate", Category: Category,
			Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint: "Remove -insecure-ssl (and -oidc-skip-tls-verify) and trust the IdP's CA instead: mount it and set " +
				"SSL_CERT_DIR=/etc/ssl/certs:/path/of/the/ca-folder (Go appends it to the system roots)",
			Explain: "-insecure-ssl skips TLS verification of the IdP during login only; refresh still verifies, " +
				"so it hides the real trust problem and fails later.",
			Run: checkInsecureSSL,
		},
		{
			ID: IDSAToken, Title: "Headlamp forwards the user's token, not its own", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint:    "Remove -unsafe-use-service-account-token from the container's args (and HEADLAMP_CONFIG_UNSAFE_USE_SERVICE_ACCOUNT_TOKEN)",
			Explain: "With it every user acts as Headlamp's ServiceAccount: capsule-proxy sees one identity and tenant isolation is gone.",
			Run:     checkSAToken,
		},
		{
			ID: IDRBAC, Title: "Headlamp's ServiceAccount is not cluster-admin", Category: Category,
			Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDFound},
			Needs:   []engine.FactName{headlampview.FactView.Name(), headlampview.FactBindings.Name()},
			Hint:    "kubectl delete clusterrolebinding <binding> (with the official chart: clusterRoleBinding.create=false): users' own tokens are forwarded, Headlamp needs no rights",
			Explain: "The official chart binds Headlamp's ServiceAccount to cluster-admin by default; behind capsule-proxy with OIDC that is only a risk.",
			Run:     checkRBAC,
		},
	}
}

func checkHeadlampOIDC(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, headlamp.FlagOIDCClientID, headlamp.FlagOIDCIssuerURL, headlamp.FlagOIDCScopes, headlamp.FlagInCluster)
	if err != nil {
		return area.CouldNotLook(err)
	}
	o := h.OIDC
	var missing []string
	for name, v := range map[string]bool{"client id": o.ClientID != "", "issuer URL": o.IssuerURL != "", "scopes": len(o.Scopes) > 0} {
		if !v {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	switch {
	case len(missing) > 0:
		return engine.Problem("OIDC is off: no %s", strings.Join(missing, ", no "))
	case !h.InCluster:
		return engine.Problem("OIDC flags are set but Headlamp runs without -in-cluster, which they require")
	}
	r := engine.Pass("client %s at %s", o.ClientID, o.IssuerURL).With("clientID", o.ClientID).With("issuer", o.IssuerURL)
	switch {
	case h.Readable(headlamp.FlagOIDCClientSecret) != nil:
		r = r.With("clientSecret", "not readable by doctor")
	case !o.ClientSecretSet:
		r = r.With("clientSecret", "not set")
	}
	return r
}

// scopesFor lists the scopes a standard IdP needs to put the mapped claims into the ID token.
func scopesFor(f engine.Facts, h headlampview.View) []string {
	need := []string{"email", "groups"} // the guide's mapping: username from email, groups from groups
	ac, err := authconfig.Fact.Get(f)
	if err != nil || ac == nil {
		return need
	}
	j, ok := ac.JWTFor(h.Issuer())
	if !ok {
		return need
	}
	need = nil
	for _, claim := range []string{j.ClaimMappings.Username.Claim, j.ClaimMappings.Groups.Claim} {
		if claim == "email" || claim == "groups" {
			need = append(need, claim)
		}
	}
	return need
}

func checkHeadlampScopes(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, slices.Concat(headlampview.IssuerSettings, []headlamp.Setting{headlamp.FlagOIDCScopes})...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	scopes := h.OIDC.Scopes
	asked, err := headlamp.WireScopes(scopes)
	if err != nil {
		return engine.Problem("%v: the IdP gets a scope it does not know", err).With("scopes", scopes)
	}
	var r engine.Result
	var missing []string
	for _, s := range scopesFor(f, h) {
		if !slices.Contains(asked, s) {
			missing = append(missing, s)
		}
	}
	switch {
	case len(missing) > 0:
		r = engine.Problem("scopes lack %s, which the claim mappings need", strings.Join(missing, ", "))
	case !slices.Contains(asked, "offline_access"):
		r = engine.Warn("no offline_access: Headlamp gets no refresh token, sessions end when the ID token expires")
	default:
		r = engine.Pass("%s", strings.Join(scopes, ","))
	}
	return r.With("scopes", scopes)
}

func checkInsecureSSL(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, headlamp.FlagInsecureSSL, headlamp.FlagOIDCSkipTLSVerify)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if h.InsecureSSL {
		return engine.Problem("-insecure-ssl or -oidc-skip-tls-verify is set: Headlamp does not verify the IdP's certificate")
	}
	return engine.Pass("no -insecure-ssl")
}

func checkSAToken(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, headlamp.FlagUnsafeSAToken)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if h.UnsafeToken {
		return engine.Problem("-unsafe-use-service-account-token is set: every user acts as ServiceAccount %s", h.ServiceAccount)
	}
	return engine.Pass("users' tokens are forwarded")
}

func checkRBAC(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	bindings, err := headlampview.FactBindings.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	for _, b := range bindings {
		if b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == "cluster-admin" && bindsSA(b.Subjects, h) {
			return engine.Problem("ClusterRoleBinding %s makes ServiceAccount %s/%s cluster-admin", b.Name, h.Namespace, h.ServiceAccount).
				With("binding", b.Name)
		}
	}
	return engine.Pass("ServiceAccount %s/%s is not bound to cluster-admin", h.Namespace, h.ServiceAccount)
}

func bindsSA(subjects []rbacv1.Subject, h headlampview.View) bool {
	for _, s := range subjects {
		if s.Kind == "ServiceAccount" && s.Name == h.ServiceAccount && s.Namespace == h.Namespace {
			return true
		}
	}
	return false
}
