package bundle

import (
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// maxEvents keeps the bundle small: the most recent events per namespace.
const maxEvents = 50

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
