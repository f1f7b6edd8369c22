// Package headlamp is the area of doctor's catalogue that checks the Headlamp Deployment: found, ready,
// talking to the API through capsule-proxy with its CA, an OIDC client with the scopes the claim
// mappings need, and none of the settings that undo tenant isolation. It judges the facts
// headlampview reads.
package headlamp

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// Category groups the checks of the Headlamp Deployment.
const Category = "Headlamp"

// readyInterval is how often HEADLAMP-READY judges again in a run that waits for it.
const readyInterval = time.Second

// The Headlamp checks.
const (
	IDFound       engine.ID = "HEADLAMP-FOUND"
	IDReady       engine.ID = "HEADLAMP-READY"
	IDAPIHost     engine.ID = "HEADLAMP-API-HOST"
	IDCA          engine.ID = "HEADLAMP-CA"
	IDRestart     engine.ID = "HEADLAMP-RESTART"
	IDOIDC        engine.ID = "HEADLAMP-OIDC"
	IDScopes      engine.ID = "HEADLAMP-SCOPES"
	IDInsecureSSL engine.ID = "HEADLAMP-INSECURE-SSL"
	IDSAToken     engine.ID = "HEADLAMP-SA-TOKEN" //nolint:gosec // a check ID, not a credential
	IDReplicas    engine.ID = "HEADLAMP-REPLICAS"
	IDHPA         engine.ID = "HEADLAMP-HPA"
	IDStrategy    engine.ID = "HEADLAMP-STRATEGY"
	IDFlags       engine.ID = "HEADLAMP-FLAGS"
	IDRBAC        engine.ID = "HEADLAMP-RBAC"
)

// Checks are the Headlamp checks, in catalogue order.
func Checks() []engine.Check {
	return slices.Concat(deploymentChecks(), processChecks(), []engine.Check{flagsCheck()}, oidcChecks(), []engine.Check{podTokenCheck()})
}

func deploymentChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDFound, Title: "A Headlamp Deployment is found", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint:    "Install it with `kubectl capsule-headlamp install`, or tell doctor where it is with -n NAMESPACE (and --headlamp NAME)",
			Explain: "Found by name, else by the label this plugin sets, else by the official chart's app.kubernetes.io/name=headlamp.",
			Run:     checkHeadlampFound,
		},
		{
			ID: IDReady, Title: "Headlamp is ready", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
			Hint: "kubectl -n <namespace> rollout status deployment/<deployment>; kubectl -n <namespace> describe deployment/<deployment>; " +
				"kubectl -n <namespace> logs deployment/<deployment>",
			Explain: "The Deployment has rolled out, as `kubectl rollout status` judges it: the controller saw the latest spec, " +
				"every replica runs it, no old pod is left, and all are available. A rollout past its progress deadline failed; " +
				"while a new ReplicaSet cannot roll out, an old pod that still serves runs the previous settings, which the " +
				"other checks do not describe. Headlamp refuses to start on some bad settings (an unreadable -oidc-ca-file, say).",
			// Right after an install a rollout may still be under way: such a run judges again until ready.
			Retry: &engine.Retry{Interval: readyInterval},
			Run:   checkHeadlampReady,
		},
		{
			ID: IDAPIHost, Title: "Headlamp talks to the API through capsule-proxy", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDFound, proxy.IDService},
			Needs: []engine.FactName{headlampview.FactView.Name(), proxy.FactService.Name()},
			Hint: "Set the container's env KUBERNETES_SERVICE_HOST=<proxy-service>.<proxy-namespace>.svc and KUBERNETES_SERVICE_PORT=<proxy-port>, " +
				"and run Headlamp with -in-cluster",
			Explain: "In-cluster, Headlamp's client reads KUBERNETES_SERVICE_HOST/PORT; unless they name capsule-proxy, " +
				"tenants bypass the proxy and get 403 on namespaces.",
			Run: checkHeadlampAPIHost,
		},
		{
			ID: IDCA, Title: "Headlamp's projected ca.crt verifies capsule-proxy's certificate", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDFound, proxy.IDCertChain},
			Needs: []engine.FactName{headlampview.FactView.Name(), headlampview.FactCA.Name(), proxy.FactSecret.Name()},
			Hint: "Project the CA that signed capsule-proxy's certificate as ca.crt in /var/run/secrets/kubernetes.io/serviceaccount: " +
				"a projected volume with secret <proxy-secret> item key <ca-key> path ca.crt (not capsule-proxy-root-secret, not kube-root-ca.crt)",
			Causes: []engine.Cause{{Name: causeOtherNamespace,
				When: "Headlamp runs in another namespace than capsule-proxy and its copy of the CA is gone",
				Hint: "A pod can project only objects of its own namespace, so Secret <proxy-secret> of <proxy-namespace> cannot be used " +
					"from <namespace>: re-run `kubectl capsule-headlamp install -n <namespace>` (it copies the CA into <namespace>), " +
					"or give a trust bundle that reaches every namespace (install --proxy-ca-bundle with trust-manager's ConfigMap)"}},
			Explain: "Headlamp's in-cluster client trusts only ca.crt in the service account folder. The CA must come " +
				"from a Secret key that exists (cert-manager writes ca.crt, the certgen Job writes ca) and must have " +
				"signed the serving certificate.",
			Run: checkHeadlampCA,
		},
		restartCheck(),
	}
}

func checkHeadlampFound(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if errors.Is(err, headlampview.ErrNoHeadlamp) {
		return engine.Problem("%v", err)
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	owner := ""
	if h.Owner != "" {
		owner = " (" + h.Owner + ")"
	}
	r := engine.Pass("%s/%s%s", h.Namespace, h.Name, owner)
	if h.Unresolved != nil {
		r = engine.Problem("%s/%s%s refers to values that do not exist: %v", h.Namespace, h.Name, owner, h.Unresolved)
	}
	if denied := h.UnreadableAccess(); len(denied) > 0 {
		// The checks of the settings held there say unknown; this one only notes what it could not see.
		r = r.With("could not read", denied)
	}
	return r.WithVar("deployment", h.Name)
}

func checkHeadlampReady(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	r := h.Rollout
	switch {
	case r.State == kube.RolloutFailed:
		return engine.Problem("the rollout failed: %s", r.Message).WithVar("deployment", h.Name)
	case r.State == kube.RolloutProgressing && r.Available > 0:
		return engine.Problem("not rolled out (%s): the %d available pod(s) may run the previous settings", r.Message, r.Available).
			WithVar("deployment", h.Name)
	case r.State == kube.RolloutProgressing:
		return engine.Problem("not rolled out: %s", r.Message).WithVar("deployment", h.Name)
	case r.Available == 0:
		return engine.Problem("no pod is available (%d replicas wanted)", h.Replicas).WithVar("deployment", h.Name)
	}
	return engine.Pass("rolled out: %s", r.Message)
}

func checkHeadlampAPIHost(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.Get(f, headlamp.FlagInCluster, headlamp.SettingAPIHost, headlamp.SettingAPIPort)
	if err != nil {
		return area.CouldNotLook(err)
	}
	svc, err := proxy.FactService.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	port := int32(0)
	if len(svc.Spec.Ports) > 0 {
		port = svc.Spec.Ports[0].Port
	}
	r := judgeAPIHost(h, svc)
	return r.With("host", h.APIHost).With("port", h.APIPort).WithVar("proxy-port", strconv.Itoa(int(port)))
}

func judgeAPIHost(h headlampview.View, svc *corev1.Service) engine.Result {
	switch {
	case !h.InCluster:
		return engine.Problem("Headlamp runs without -in-cluster: it does not use KUBERNETES_SERVICE_HOST")
	case h.APIHost == "":
		return engine.Problem("KUBERNETES_SERVICE_HOST is not set: Headlamp talks to the API server directly, bypassing capsule-proxy")
	case !proxy.NamesService(h.APIHost, svc):
		return engine.Problem("KUBERNETES_SERVICE_HOST=%s does not name Service %s/%s", h.APIHost, svc.Namespace, svc.Name)
	}
	if _, ok := proxy.ServicePort(svc, h.APIPort); !ok {
		return engine.Problem("KUBERNETES_SERVICE_PORT=%d, but Service %s/%s listens on %s", h.APIPort, svc.Namespace, svc.Name, portList(svc))
	}
	return engine.Pass("%s:%d", h.APIHost, h.APIPort)
}

// portList says which ports a Service listens on, for messages.
func portList(svc *corev1.Service) string {
	if len(svc.Spec.Ports) == 0 {
		return "no port"
	}
	ports := make([]string, len(svc.Spec.Ports))
	for i, p := range svc.Spec.Ports {
		ports[i] = strconv.Itoa(int(p.Port))
	}
	return strings.Join(ports, ", ")
}
