package headlamp

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// restartCheck fails when a running Headlamp pod trusts an older proxy CA than the Secret holds:
// Headlamp reads the CA once, at start, and keeps it (reference: real-components.md).
func restartCheck() engine.Check {
	return engine.Check{
		ID: IDRestart, Title: "Headlamp's pods trust the proxy CA the Secret holds now", Category: Category,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDFound, proxy.IDSecret},
		Needs: []engine.FactName{headlampview.FactPods.Name(), proxy.FactSecret.Name()},
		Hint: "Headlamp reads capsule-proxy's CA only when it starts: kubectl -n <namespace> rollout restart deployment/<deployment> " +
			"(re-running `kubectl capsule-headlamp install` restarts Headlamp too, and refreshes a copied CA)",
		Explain: "Headlamp builds its client for capsule-proxy from the projected ca.crt when it starts and keeps it: after the " +
			"CA in the proxy Secret is rotated, every new connection fails (502, `certificate signed by unknown authority`) " +
			"until the pod restarts, although a keep-alive connection opened before may work for about 90 s more. Pods of an " +
			"install by this plugin carry the digest of the CA they started with (pod annotation " + headlamp.AnnotationProxyCA +
			"): a pod that started with the Secret's CA is current. Otherwise the Secret's last data change (its managedFields) " +
			"is compared with each pod's start. The CA's NotBefore proves nothing: issuers backdate it.",
		Run: checkHeadlampRestart,
	}
}

func checkHeadlampRestart(_ context.Context, f engine.Facts) engine.Result {
	pods, err := headlampview.FactPods.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	ps, err := proxy.FactSecret.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	current := caDigest(ps)
	var stale []string
	running := 0
	for _, p := range pods {
		if p.Status.Phase != corev1.PodRunning || p.DeletionTimestamp != nil {
			continue
		}
		running++
		if why := staleCA(p, current, ps.DataChanged); why != "" {
			stale = append(stale, p.Name+" ("+why+")")
		}
	}
	if len(stale) > 0 {
		return engine.Problem("%d pod(s) still trust the proxy CA they started with, not the one Secret %s/%s holds: %s",
			len(stale), ps.Namespace, ps.Name, engine.Summarize(stale)).With("pods", stale)
	}
	return engine.Pass("%d running pod(s) started with the proxy CA the Secret holds", running)
}

// staleCA says why pod may trust an older CA than the Secret's, or "" when it started with the current
// one. A pod that install started records the CA's digest: when it is the Secret's CA, a later change of
// the Secret (a renewed tls.crt) left the CA alone. Otherwise a pod that started before the Secret's data
// last changed may hold the previous CA (a pod restarted since, by kubectl rollout restart say, does not:
// it keeps the template's digest but read the files again).
func staleCA(p corev1.Pod, current string, changed time.Time) string {
	if p.Annotations[headlamp.AnnotationProxyCA] == current {
		return ""
	}
	// Both times have a resolution of a second: a pod that started in the second the Secret changed may
	// hold either, and a restart costs less than a Headlamp that fails every request.
	if at := podStart(p); !at.IsZero() && !changed.IsZero() && !at.After(changed) {
		return fmt.Sprintf("started %s, before the Secret's data changed at %s", stamp(at), stamp(changed))
	}
	return ""
}

func caDigest(ps proxy.Secret) string { return headlamp.ProxyCADigest(ps.CA) }

// podStart is when the pod's containers last started (a restarted container reads its files again),
// else when the pod started.
func podStart(p corev1.Pod) time.Time {
	var t time.Time
	for _, c := range p.Status.ContainerStatuses {
		if c.State.Running != nil && c.State.Running.StartedAt.After(t) {
			t = c.State.Running.StartedAt.Time
		}
	}
	switch {
	case !t.IsZero():
		return t
	case p.Status.StartTime != nil:
		return p.Status.StartTime.Time
	}
	return p.CreationTimestamp.Time
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
