package doctor

import (
	"context"
	"slices"
	"strings"
)

// CategoryCluster groups the checks of the cluster itself.
const CategoryCluster = "Cluster"

func clusterChecks() []Check {
	return []Check{
		{
			ID: "CLUSTER-API", Title: "The API server answers", Category: CategoryCluster, Severity: SeverityError,
			Needs:   []FactName{factServerVersion.Name()},
			Hint:    "Check the kubeconfig context (kubectl config current-context) and that `kubectl version` works; pass --context or --kubeconfig to doctor",
			Explain: "Everything else needs the API server. A failure here skips every other check.",
			Run:     checkAPI,
		},
		{
			ID: "CLUSTER-VERSION", Title: "The API server supports structured authentication (1.30+)",
			Category: CategoryCluster, Severity: SeverityError, DependsOn: []ID{"CLUSTER-API"},
			Needs: []FactName{factServerVersion.Name()},
			Hint:  "Upgrade the cluster to Kubernetes 1.30 or later (1.34+ for apiserver.config.k8s.io/v1): legacy --oidc-* flags accept a single audience, so Headlamp's confidential client and a public CLI client cannot both sign in",
			Explain: "A Headlamp client and a kubectl client need two audiences, which only the structured " +
				"AuthenticationConfiguration (--authentication-config) allows: beta in 1.30 (v1beta1), GA in 1.34 (v1).",
			Run: checkVersion,
		},
		{
			ID: "CLUSTER-PERMISSIONS", Title: "Doctor may read everything it checks", Category: CategoryCluster,
			Severity: SeverityWarning, DependsOn: []ID{"CLUSTER-API"}, Needs: []FactName{factPermissions.Name()},
			Hint: "Run doctor as a cluster administrator, or grant the missing permissions (<missing>); checks that need them report unknown, not failed",
			Explain: "Asked once with SelfSubjectAccessReviews, so that a missing permission is named here rather " +
				"than guessed from a dozen unknown results.",
			Run: checkPermissions,
		},
	}
}

func checkAPI(ctx context.Context, f Facts) Result {
	v, err := factServerVersion.Get(f)
	if r, ok := cutShortBy(ctx, err); ok {
		return r
	}
	if err != nil {
		return Problem("%v", err)
	}
	return Pass("%s", v.GitVersion).With("version", v.GitVersion)
}

func checkVersion(_ context.Context, f Facts) Result {
	v, err := factServerVersion.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	major, minor, err := minorVersion(v)
	if err != nil {
		return Unknown("%v", err)
	}
	switch {
	case major == 1 && minor < 30:
		return Problem("%s has no beta structured authentication configuration", v.GitVersion).With("version", v.GitVersion)
	case major == 1 && minor < 34:
		return Pass("%s: AuthenticationConfiguration apiserver.config.k8s.io/v1beta1 (v1 from 1.34)", v.GitVersion)
	}
	return Pass("%s: AuthenticationConfiguration apiserver.config.k8s.io/v1", v.GitVersion)
}

func checkPermissions(_ context.Context, f Facts) Result {
	perms, err := factPermissions.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	var missing []string
	for _, p := range perms {
		if a := p.access.String(); !p.allowed && !slices.Contains(missing, a) {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return Problem("doctor may not %s", strings.Join(missing, "; ")).
			With("missing", missing).WithVar("missing", strings.Join(missing, "; "))
	}
	return Pass("all %d permissions granted", len(perms))
}
