package identity

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// IDTenantViews is the table of what the user will see in Headlamp.
const IDTenantViews engine.ID = "TENANT-VIEWS"

// causeStartup names calls Headlamp needs to start (version, discovery, reviews) that do not work.
const causeStartup = "startup"

func viewChecks() []engine.Check {
	return []engine.Check{{
		ID: IDTenantViews, Title: "The user sees something in Headlamp's first pages", Category: CategoryReview,
		// A token capsule-proxy rejects fails REVIEW-PROXY: every view would say so again.
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDReviewProxy},
		Needs: names(idProxyReview, idClusterViews, idProxyNamespaces, idNamespaceViews),
		Hint: "Make the user a tenant owner: add the user, or one of its groups, to a Tenant's spec.owners, and that group to " +
			"CapsuleConfiguration spec.users (TENANT-USER-GROUP and TENANT-OWNED say which is missing). A view forbidden to " +
			"a tenant owner is granted by the Tenant (its owners' proxy settings, its storage and ingress classes) or by RBAC",
		Causes: []engine.Cause{{Name: causeStartup, When: "a request Headlamp makes to start (version, discovery, reviews) does not work",
			Hint: "capsule-proxy must pass /version, /api, /apis and the access reviews through to the API server: read its log " +
				"(kubectl -n capsule-system logs deploy/capsule-proxy) for the path above"}},
		Explain: "Sends, as the user and through capsule-proxy as Headlamp does, the requests of Headlamp's first pages: " +
			"/version, API discovery (/api, /apis), the namespace list (TENANT-NAMESPACES' own), pods and a " +
			"SelfSubjectRulesReview in the first namespace listed, nodes, storage classes, ingress classes and Capsule " +
			"tenants, all at once. The table says view by view what the user meets: works (with how many objects), empty, " +
			"forbidden (403, or capsule-proxy's \"not allowed\" for a kind the tenant was not granted), failed. Forbidden views " +
			"are information: a tenant is not meant to see nodes. It fails when no list shows the user anything: Headlamp " +
			"would open on empty pages; it warns when a request Headlamp needs to start does not work.",
		Run: checkTenantViews,
	}}
}

func checkTenantViews(_ context.Context, f engine.Facts) engine.Result {
	cluster, err := idClusterViews.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	nf, err := idProxyNamespaces.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	inNamespace, err := idNamespaceViews.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	// What Headlamp asks to start, then its pages: namespaces, those in a namespace, the cluster-wide lists.
	start := len(startViews)
	views := slices.Concat(Views(cluster[:start]), Views{namespacesView(nf)}, inNamespace, cluster[start:])
	user := "the user"
	if rf, err := idProxyReview.Get(f); err == nil && rf.Err == nil {
		user = fmt.Sprintf("%q", rf.Review.Username)
	}
	return judgeViews(user, views)
}

// judgeViews fails when no list shows the user anything, warns when Headlamp could not start, and
// otherwise sums up the table.
func judgeViews(user string, views Views) engine.Result {
	by := map[Verdict][]string{}
	var startup []string
	for _, v := range views {
		switch {
		case v.resource:
			by[v.Verdict] = append(by[v.Verdict], v.label())
		case v.Verdict == VerdictForbidden || v.Verdict == VerdictFailed:
			startup = append(startup, v.View)
		}
	}
	summary := summarize(by)
	switch {
	case len(by[VerdictWorks])+len(by[VerdictEmpty])+len(by[VerdictForbidden])+len(by[VerdictFailed]) == 0:
		return engine.Unknown("could not ask capsule-proxy: %s", firstMessage(views, VerdictUnknown)).With("views", views)
	case len(by[VerdictWorks]) == 0:
		return engine.Problem("%s would see nothing in Headlamp: %s", user, summary).With("views", views)
	case len(startup) > 0:
		return engine.Warn("%s cannot get what Headlamp needs to start (%s); %s", user, strings.Join(startup, ", "), summary).
			With("views", views).Because(causeStartup)
	}
	return engine.Pass("%s", summary).With("views", views)
}

// label names a view in the summary, with how many objects it lists.
func (v View) label() string {
	if v.Items == nil || v.Verdict != VerdictWorks {
		return v.View
	}
	if v.More {
		return fmt.Sprintf("%s (%d+)", v.View, *v.Items)
	}
	return fmt.Sprintf("%s (%d)", v.View, *v.Items)
}

// summarize is one line: the views by verdict, those that work first.
func summarize(by map[Verdict][]string) string {
	var parts []string
	for _, v := range []Verdict{VerdictWorks, VerdictEmpty, VerdictForbidden, VerdictFailed, VerdictUnknown, VerdictNotAsked} {
		if len(by[v]) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", v, strings.Join(by[v], ", ")))
		}
	}
	return strings.Join(parts, "; ")
}

func firstMessage(views Views, verdict Verdict) string {
	for _, v := range views {
		if v.Verdict == verdict {
			return v.Message
		}
	}
	return ""
}
