package doctor

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// ObjectRef names a namespaced object.
type ObjectRef struct{ Namespace, Name string }

// BundleSources says what CollectBundle reads: the Headlamp and capsule-proxy Deployments and
// Services, the namespaces whose pods and events matter, and the proxy's certificate Secret.
type BundleSources struct {
	Deployments []ObjectRef
	Services    []ObjectRef
	Namespaces  []string
	ProxySecret ObjectRef
}

// maxEvents keeps the bundle small: the most recent events per namespace.
const maxEvents = 50

// CollectBundle reads the cluster side of a bundle into b. What cannot be read is noted in b.Versions
// under "missing: ..." rather than failing the bundle: a partial bundle still helps.
func CollectBundle(ctx context.Context, cs kubernetes.Interface, src BundleSources, b *Bundle) {
	if b.Versions == nil {
		b.Versions = map[string]string{}
	}
	if b.Certificates == nil {
		b.Certificates = map[string][]trust.Summary{}
	}
	note := func(what string, err error) { b.Versions["missing: "+what] = err.Error() }
	for _, r := range src.Deployments {
		if d, err := cs.AppsV1().Deployments(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{}); err != nil {
			note("deployment "+r.Namespace+"/"+r.Name, err)
		} else {
			b.Objects = append(b.Objects, ScrubDeployment(d))
			if b.Rollouts == nil {
				b.Rollouts = map[string]kube.Rollout{}
			}
			b.Rollouts[r.Namespace+"/"+r.Name] = kube.RolloutStatus(d)
		}
	}
	for _, r := range src.Services {
		if s, err := cs.CoreV1().Services(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{}); err != nil {
			note("service "+r.Namespace+"/"+r.Name, err)
		} else {
			b.Objects = append(b.Objects, ScrubService(s))
		}
	}
	pods, events := map[string]any{}, map[string]any{}
	for _, ns := range src.Namespaces {
		if list, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{}); err != nil {
			note("pods in "+ns, err)
		} else {
			pods[ns] = podStatuses(list.Items)
		}
		if list, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{}); err != nil {
			note("events in "+ns, err)
		} else {
			events[ns] = recentEvents(list.Items)
		}
	}
	b.Pods, b.Events = pods, events
	if err := proxyCertificates(ctx, cs, src.ProxySecret, b); err != nil {
		note("certificates of secret "+src.ProxySecret.Name, err)
	}
}

// proxyCertificates summarises the certificate keys of the proxy Secret; tls.key is never read.
func proxyCertificates(ctx context.Context, cs kubernetes.Interface, ref ObjectRef, b *Bundle) error {
	s, err := cs.CoreV1().Secrets(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	for _, key := range []string{"tls.crt", "ca.crt", "ca"} {
		certs, err := trust.ParseBundle(s.Data[key])
		if err != nil {
			continue
		}
		b.Certificates[fmt.Sprintf("secret %s/%s %s", ref.Namespace, ref.Name, key)] = summaries(certs)
	}
	return nil
}

// PodStatus is a pod's state, for the bundle.
type PodStatus struct {
	Name     string    `json:"name"`
	Phase    string    `json:"phase"`
	Ready    bool      `json:"ready"`
	Restarts int32     `json:"restarts"`
	Started  time.Time `json:"started,omitzero"`
	Reason   string    `json:"reason,omitempty"`
}

func podStatuses(pods []corev1.Pod) []PodStatus {
	var out []PodStatus
	for _, p := range pods {
		ps := PodStatus{Name: p.Name, Phase: string(p.Status.Phase), Reason: p.Status.Reason}
		if p.Status.StartTime != nil {
			ps.Started = p.Status.StartTime.UTC()
		}
		ps.Ready = kube.IsPodReady(&p)
		for _, c := range p.Status.ContainerStatuses {
			ps.Restarts += c.RestartCount
		}
		out = append(out, ps)
	}
	return out
}

// EventLine is one event, for the bundle.
type EventLine struct {
	Time    time.Time `json:"time"`
	Type    string    `json:"type"`
	Reason  string    `json:"reason"`
	Object  string    `json:"object"`
	Message string    `json:"message"`
	Count   int32     `json:"count,omitempty"`
}

func recentEvents(events []corev1.Event) []EventLine {
	var out []EventLine
	for _, e := range events {
		t := e.LastTimestamp.Time
		if t.IsZero() {
			t = e.EventTime.Time
		}
		out = append(out, EventLine{Time: t.UTC(), Type: e.Type, Reason: e.Reason,
			Object: e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name, Message: e.Message, Count: e.Count})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	if len(out) > maxEvents {
		out = out[:maxEvents]
	}
	return out
}
