package identity

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// CategoryReview groups what the API server, capsule-proxy and Capsule make of the token.
const CategoryReview = "Identity as the cluster sees it"

// The review and Capsule identity checks.
const (
	IDReviewAPIServer  engine.ID = "REVIEW-APISERVER"
	IDReviewProxy      engine.ID = "REVIEW-PROXY"
	IDTenantUserGroup  engine.ID = "TENANT-USER-GROUP"
	IDTenantOwned      engine.ID = "TENANT-OWNED"
	IDTenantNamespaces engine.ID = "TENANT-NAMESPACES"
)

func reviewChecks() []engine.Check {
	return []engine.Check{{
		ID: IDReviewAPIServer, Title: "The API server accepts the token", Category: CategoryReview, Severity: engine.SeverityError,
		DependsOn: []engine.ID{IDTokenObtained}, Needs: names(idReview, idExpect, idToken, idServerTime),
		Hint: "Start with the first likely cause above; the API server's log names the exact one (oidc: ...).",
		Explain: "Sends a SelfSubjectReview with the token straight to the API server (kubectl auth whoami --token). " +
			"On 401 it ranks the causes from what the other checks saw: the API server only logs the reason.",
		Run: checkReviewAPIServer,
	}, {
		ID: IDReviewProxy, Title: "capsule-proxy accepts the token", Category: CategoryReview, Severity: engine.SeverityError,
		// With the proxy checks in the run, no ready proxy pod skips this check (PROXY-ENDPOINTS says
		// why) instead of leaving it unable to reach the proxy; alone, the identity checks drop that
		// dependency. It runs when the API server rejects the token too: the proxy's answer names the
		// reason the API server only logs.
		DependsOn: []engine.ID{IDTokenObtained, proxy.IDEndpoints}, Needs: names(idProxyReview, idReview, idExpect, idToken, idServerTime),
		Hint: "On a rejected token, start with the first likely cause above: capsule-proxy has the API server review the token " +
			"(a TokenReview), and its 403 quotes the API server's reason. " +
			"On an untrusted certificate, check that --proxy-address reaches capsule-proxy itself, and PROXY-CERT-* for its certificate and CA.",
		Explain: "Sends a SelfSubjectReview with the token through capsule-proxy, as Headlamp forwards it. capsule-proxy answers a " +
			"token it cannot authenticate with 403 \"cannot authenticate the token due to error: ...\" (then a 401), not a bare 401: " +
			"either is a rejected token, whose causes are ranked as REVIEW-APISERVER ranks them.",
		Run: checkReviewProxy,
	}, {
		ID: IDTenantUserGroup, Title: "The user is a Capsule user", Category: CategoryReview, Severity: engine.SeverityError,
		DependsOn: []engine.ID{IDReviewAPIServer, IDTokenGroups}, Needs: names(idReview, capsule.FactConfig),
		Hint: "Add one of the user's groups to CapsuleConfiguration default: kubectl patch capsuleconfiguration default --type=json " +
			"-p '[{\"op\":\"add\",\"path\":\"/spec/users/-\",\"value\":{\"kind\":\"Group\",\"name\":\"<group>\"}}]' " +
			"(or fix the groups prefix so the groups match spec.users).",
		Run: checkCapsuleUser,
	}, tenantOwnedCheck(), {
		ID: IDTenantNamespaces, Title: "The user sees its namespaces through capsule-proxy", Category: CategoryReview, Severity: engine.SeverityError,
		DependsOn: []engine.ID{IDReviewProxy, IDTenantUserGroup}, Needs: names(idProxyNamespaces),
		Hint: "A Capsule user should list its tenant namespaces through capsule-proxy; check the proxy's logs and the Tenant's status.namespaces.",
		Run:  checkProxyNamespaces,
	}}
}

func checkProxyNamespaces(_ context.Context, f engine.Facts) engine.Result {
	nf, err := idProxyNamespaces.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	ns, err := nf.Names, nf.Err
	switch {
	case apierrors.IsForbidden(err):
		return engine.Problem("listing namespaces through capsule-proxy is forbidden: the proxy did not filter for this user")
	case err != nil:
		return unknownFrom(fmt.Errorf("list namespaces through capsule-proxy: %w", err))
	case len(ns) == 0:
		return engine.Problem("no namespace is visible through capsule-proxy")
	}
	return engine.Pass("%s", engine.Summarize(ns)).With("namespaces", ns)
}

func checkReviewAPIServer(ctx context.Context, f engine.Facts) engine.Result {
	rf, err := idReview.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	if rf.Err == nil {
		return engine.Pass("user %q, groups %q", rf.Review.Username, rf.Review.Groups).
			With("username", rf.Review.Username).With("groups", rf.Review.Groups)
	}
	if !apierrors.IsUnauthorized(rf.Err) {
		return unknownFrom(rf.Err)
	}
	causes := rankCauses(ctx, f)
	return engine.Problem("the API server rejected the token (401); likely causes, most likely first:\n%s", numbered(causes)).With("causes", causes)
}

func checkReviewProxy(ctx context.Context, f engine.Facts) engine.Result {
	rf, err := idProxyReview.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	switch {
	case rf.Err == nil:
	case tokenRejectedByProxy(rf.Err):
		causes := rankCauses(ctx, f)
		return engine.Problem("capsule-proxy rejected the token: %v\nlikely causes, most likely first:\n%s", rf.Err, numbered(causes)).
			With("causes", causes)
	case untrustedCertificate(rf.Err):
		return engine.Problem("capsule-proxy's certificate is not trusted with the CA Headlamp uses for it: %v", rf.Err)
	default:
		return unknownFrom(fmt.Errorf("review through capsule-proxy: %w", rf.Err))
	}
	direct, err := idReview.Get(f)
	r := engine.Pass("user %q, groups %q", rf.Review.Username, rf.Review.Groups).With("username", rf.Review.Username).With("groups", rf.Review.Groups)
	if err == nil && direct.Err == nil && rf.Review.Username != direct.Review.Username {
		return engine.Problem("capsule-proxy sees user %q, the API server %q", rf.Review.Username, direct.Review.Username)
	}
	return r
}

func checkCapsuleUser(_ context.Context, f engine.Facts) engine.Result {
	rf, err := idReview.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	cfg, err := capsule.FactConfig.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	var groups []string
	for _, s := range cfg.Users {
		switch {
		case s.Kind == rbacv1.UserKind && s.Name == rf.Review.Username:
			return engine.Pass("user %q is a Capsule user", s.Name)
		case s.Kind == rbacv1.GroupKind && slices.Contains(rf.Review.Groups, s.Name):
			return engine.Pass("group %q is a Capsule user group", s.Name)
		case s.Kind == rbacv1.GroupKind:
			groups = append(groups, s.Name)
		}
	}
	return engine.Problem("none of the groups %q is a Capsule user group %q: capsule-proxy will not filter for this user, who sees no tenant", rf.Review.Groups, groups).
		With("user groups", rf.Review.Groups).With("capsule user groups", groups).WithVar("group", firstOr(rf.Review.Groups, "<group>"))
}

// untrustedCertificate tells whether err is a TLS verification failure: the address answered, with a
// certificate that Headlamp's CA for capsule-proxy does not vouch for, a finding rather than an
// inability to look.
func untrustedCertificate(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

func numbered(items []string) string {
	var b strings.Builder
	for i, s := range items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	return strings.TrimRight(b.String(), "\n")
}

func firstOr(ss []string, fallback string) string {
	if len(ss) == 0 {
		return fallback
	}
	return ss[0]
}
