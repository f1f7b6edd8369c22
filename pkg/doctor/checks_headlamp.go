package doctor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// CategoryHeadlamp groups the checks of the Headlamp Deployment.
const CategoryHeadlamp = "Headlamp"

// errNoHeadlamp marks that no Headlamp Deployment was found.
var errNoHeadlamp = errors.New("no Headlamp deployment found")

func headlampChecks() []Check {
	return []Check{
		{
			ID: "HEADLAMP-FOUND", Title: "A Headlamp Deployment is found", Category: CategoryHeadlamp, Severity: SeverityError,
			DependsOn: []ID{"CLUSTER-API"}, Needs: []FactName{factHeadlamp.Name()},
			Hint:    "Install it with `kubectl capsule-headlamp install`, or tell doctor where it is with -n NAMESPACE (and --headlamp NAME)",
			Explain: "Found by name, else by the label this plugin sets, else by the official chart's app.kubernetes.io/name=headlamp.",
			Run:     checkHeadlampFound,
		},
		{
			ID: "HEADLAMP-READY", Title: "Headlamp is ready", Category: CategoryHeadlamp, Severity: SeverityError,
			DependsOn: []ID{"HEADLAMP-FOUND"}, Needs: []FactName{factHeadlamp.Name()},
			Hint: "kubectl -n <namespace> rollout status deployment/<deployment>; kubectl -n <namespace> describe deployment/<deployment>; " +
				"kubectl -n <namespace> logs deployment/<deployment>",
			Explain: "The Deployment has rolled out, as `kubectl rollout status` judges it: the controller saw the latest spec, " +
				"every replica runs it, no old pod is left, and all are available. A rollout past its progress deadline failed; " +
				"while a new ReplicaSet cannot roll out, an old pod that still serves runs the previous settings, which the " +
				"other checks do not describe. Headlamp refuses to start on some bad settings (an unreadable -oidc-ca-file, say).",
			Run: checkHeadlampReady,
		},
		{
			ID: "HEADLAMP-API-HOST", Title: "Headlamp talks to the API through capsule-proxy", Category: CategoryHeadlamp,
			Severity: SeverityError, DependsOn: []ID{"HEADLAMP-FOUND", "PROXY-SERVICE"},
			Needs: []FactName{factHeadlamp.Name(), factProxyService.Name()},
			Hint: "Set the container's env KUBERNETES_SERVICE_HOST=<proxy-service>.<proxy-namespace>.svc and KUBERNETES_SERVICE_PORT=<proxy-port>, " +
				"and run Headlamp with -in-cluster",
			Explain: "In-cluster, Headlamp's client reads KUBERNETES_SERVICE_HOST/PORT; unless they name capsule-proxy, " +
				"tenants bypass the proxy and get 403 on namespaces.",
			Run: checkHeadlampAPIHost,
		},
		{
			ID: "HEADLAMP-CA", Title: "Headlamp's projected ca.crt verifies capsule-proxy's certificate", Category: CategoryHeadlamp,
			Severity: SeverityError, DependsOn: []ID{"HEADLAMP-FOUND", "PROXY-CERT-CHAIN"},
			Needs: []FactName{factHeadlamp.Name(), factHeadlampCA.Name(), factProxySecret.Name()},
			Hint: "Project the CA that signed capsule-proxy's certificate as ca.crt in /var/run/secrets/kubernetes.io/serviceaccount: " +
				"a projected volume with secret <proxy-secret> item key <ca-key> path ca.crt (not capsule-proxy-root-secret, not kube-root-ca.crt)",
			Explain: "Headlamp's in-cluster client trusts only ca.crt in the service account folder. The CA must come " +
				"from a Secret key that exists (cert-manager writes ca.crt, the certgen Job writes ca) and must have " +
				"signed the serving certificate.",
			Run: checkHeadlampCA,
		},
		{
			ID: "HEADLAMP-RESTART", Title: "Headlamp started after the current proxy CA was issued", Category: CategoryHeadlamp,
			Severity: SeverityWarning, DependsOn: []ID{"HEADLAMP-FOUND", "PROXY-SECRET"},
			Needs: []FactName{factHeadlampPods.Name(), factProxySecret.Name()},
			Hint:  "Headlamp reads its CA files at start: kubectl -n <namespace> rollout restart deployment/<deployment>",
			Explain: "A pod older than the CA in the proxy Secret still holds the previous CA, " +
				"and fails with `certificate signed by unknown authority` until restarted.",
			Run: checkHeadlampRestart,
		},
	}
}

func checkHeadlampFound(_ context.Context, f Facts) Result {
	h, err := factHeadlamp.Get(f)
	if errors.Is(err, errNoHeadlamp) {
		return Problem("%v", err)
	}
	if err != nil {
		return couldNotLook(err)
	}
	owner := ""
	if h.Owner != "" {
		owner = " (" + h.Owner + ")"
	}
	r := Pass("%s/%s%s", h.Namespace, h.Name, owner)
	if h.Unresolved != nil {
		r = Problem("%s/%s%s refers to values that do not exist: %v", h.Namespace, h.Name, owner, h.Unresolved)
	}
	if denied := h.unreadableAccess(); len(denied) > 0 {
		// The checks of the settings held there say unknown; this one only notes what it could not see.
		r = r.With("could not read", denied)
	}
	return r.WithVar("deployment", h.Name)
}

func checkHeadlampReady(_ context.Context, f Facts) Result {
	h, err := factHeadlamp.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	r := h.Rollout
	switch {
	case r.State == kube.RolloutFailed:
		return Problem("the rollout failed: %s", r.Message).WithVar("deployment", h.Name)
	case r.State == kube.RolloutProgressing && r.Available > 0:
		return Problem("not rolled out (%s): the %d available pod(s) may run the previous settings", r.Message, r.Available).WithVar("deployment", h.Name)
	case r.State == kube.RolloutProgressing:
		return Problem("not rolled out: %s", r.Message).WithVar("deployment", h.Name)
	case r.Available == 0:
		return Problem("no pod is available (%d replicas wanted)", h.Replicas).WithVar("deployment", h.Name)
	}
	return Pass("rolled out: %s", r.Message)
}

func checkHeadlampAPIHost(_ context.Context, f Facts) Result {
	h, err := headlampSettings(f, headlamp.FlagInCluster, headlamp.SettingAPIHost, headlamp.SettingAPIPort)
	if err != nil {
		return couldNotLook(err)
	}
	svc, err := factProxyService.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	port := int32(0)
	if len(svc.Spec.Ports) > 0 {
		port = svc.Spec.Ports[0].Port
	}
	r := judgeAPIHost(h, svc)
	return r.With("host", h.APIHost).With("port", h.APIPort).WithVar("proxy-port", strconv.Itoa(int(port)))
}

func judgeAPIHost(h HeadlampView, svc *corev1.Service) Result {
	switch {
	case !h.InCluster:
		return Problem("Headlamp runs without -in-cluster: it does not use KUBERNETES_SERVICE_HOST")
	case h.APIHost == "":
		return Problem("KUBERNETES_SERVICE_HOST is not set: Headlamp talks to the API server directly, bypassing capsule-proxy")
	case !namesService(h.APIHost, svc):
		return Problem("KUBERNETES_SERVICE_HOST=%s does not name Service %s/%s", h.APIHost, svc.Namespace, svc.Name)
	}
	if _, ok := servicePort(svc, h.APIPort); !ok {
		return Problem("KUBERNETES_SERVICE_PORT=%d, but Service %s/%s listens on %s", h.APIPort, svc.Namespace, svc.Name, portList(svc))
	}
	return Pass("%s:%d", h.APIHost, h.APIPort)
}

// servicePort is the Service's port numbered port: a client may use any of them.
func servicePort(svc *corev1.Service, port int32) (corev1.ServicePort, bool) {
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			return p, true
		}
	}
	return corev1.ServicePort{}, false
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

// headlampPortName names the Service port Headlamp reaches capsule-proxy on (by its
// KUBERNETES_SERVICE_PORT), else the Service's first port: the endpoints' pod port is the one behind it.
func headlampPortName(f Facts) string {
	svc, err := factProxyService.Get(f)
	if err != nil || len(svc.Spec.Ports) == 0 {
		return ""
	}
	if h, err := headlampSettings(f, headlamp.SettingAPIPort); err == nil {
		if p, ok := servicePort(svc, h.APIPort); ok {
			return p.Name
		}
	}
	return svc.Spec.Ports[0].Name
}

// namesService reports whether host resolves to the Service: its short, namespaced or cluster DNS name,
// or its cluster IP.
func namesService(host string, svc *corev1.Service) bool {
	base := svc.Name + "." + svc.Namespace
	switch {
	case host == svc.Name, host == base, host == base+".svc", strings.HasPrefix(host, base+".svc."):
		return true
	case svc.Spec.ClusterIP != "" && host == svc.Spec.ClusterIP:
		return true
	}
	return false
}

func checkHeadlampRestart(_ context.Context, f Facts) Result {
	pods, err := factHeadlampPods.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	ps, err := factProxySecret.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	issued := ps.CA[0].NotBefore
	var stale []string
	for _, p := range pods {
		started := p.CreationTimestamp.Time
		if p.Status.StartTime != nil {
			started = p.Status.StartTime.Time
		}
		if started.Before(issued) {
			stale = append(stale, fmt.Sprintf("%s (started %s)", p.Name, started.UTC().Format("2006-01-02T15:04:05Z")))
		}
	}
	if len(stale) > 0 {
		return Problem("pods started before the proxy CA was issued (%s): %s", issued.UTC().Format("2006-01-02T15:04:05Z"),
			strings.Join(stale, ", ")).With("pods", stale)
	}
	return Pass("%d pod(s) started after the proxy CA was issued", len(pods))
}
