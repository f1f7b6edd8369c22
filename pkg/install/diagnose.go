package install

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
)

// maxEvents bounds the warning events quoted in a wait error.
const maxEvents = 5

// diagnose explains why a Deployment is not available: its false conditions, its pods' conditions
// and containers, and recent warning events about it, its ReplicaSets and pods. It runs after the wait
// timed out, so it takes the caller's context with a fresh, short deadline.
func diagnose(ctx context.Context, cs kubernetes.Interface, dep *appsv1.Deployment) []string {
	if dep == nil {
		return []string{"the deployment could not be read"}
	}
	ctx, cancel := context.WithTimeout(ctx, diagnoseTimeout)
	defer cancel()
	var out []string
	for _, c := range dep.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			out = append(out, fmt.Sprintf("deployment: %s is %s: %s", c.Type, c.Status, joinNonEmpty(c.Reason, c.Message)))
		}
	}
	involved := map[string]bool{dep.Name: true}
	pods, err := cs.CoreV1().Pods(dep.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: labels.SelectorFromSet(dep.Spec.Selector.MatchLabels).String(),
	})
	switch {
	case err != nil:
		out = append(out, "cannot list pods: "+err.Error())
	case len(pods.Items) == 0:
		out = append(out, "no pod exists yet")
	}
	if err == nil {
		for _, pod := range pods.Items {
			involved[pod.Name] = true
			out = append(out, podReasons(pod)...)
		}
	}
	return append(out, warningEvents(ctx, cs, dep, involved)...)
}

// warningEvents quotes the latest warnings about the Deployment, its ReplicaSets (named after it)
// and its pods.
func warningEvents(ctx context.Context, cs kubernetes.Interface, dep *appsv1.Deployment, involved map[string]bool) []string {
	events, err := cs.CoreV1().Events(dep.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return []string{"cannot list events: " + err.Error()}
	}
	var warnings []corev1.Event
	for _, e := range events.Items {
		name := e.InvolvedObject.Name
		if e.Type == corev1.EventTypeWarning && (involved[name] || strings.HasPrefix(name, dep.Name+"-")) {
			warnings = append(warnings, e)
		}
	}
	sort.Slice(warnings, func(i, j int) bool { return eventTime(warnings[i]).After(eventTime(warnings[j]).Time) })
	// The latest warning per object and reason; repeats (one per failed pod, say) are counted.
	var out []string
	index := map[string]int{}
	similar := map[string]int{}
	for _, e := range warnings {
		key := e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name + "/" + e.Reason
		if _, seen := index[key]; seen {
			similar[key]++
			continue
		}
		if len(out) == maxEvents {
			continue
		}
		index[key] = len(out)
		line := fmt.Sprintf("event on %s/%s: %s: %s", strings.ToLower(e.InvolvedObject.Kind), e.InvolvedObject.Name, e.Reason, strings.TrimSpace(e.Message))
		if e.Count > 1 {
			line += fmt.Sprintf(" (%d times)", e.Count)
		}
		out = append(out, line)
	}
	for key, n := range similar {
		if i, shown := index[key]; shown {
			out[i] += fmt.Sprintf(" (and %d similar)", n)
		}
	}
	return out
}

func eventTime(e corev1.Event) metav1.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp
	case !e.EventTime.IsZero():
		return metav1.Time{Time: e.EventTime.Time}
	}
	return e.CreationTimestamp
}

// diagnoseTimeout bounds the extra reads made to explain a timeout.
const diagnoseTimeout = 10 * time.Second

// podReasons explains a pod that is not ready: false conditions and waiting or failed containers.
func podReasons(pod corev1.Pod) []string {
	var out []string
	for _, c := range pod.Status.Conditions {
		if c.Status != corev1.ConditionTrue && (c.Reason != "" || c.Message != "") {
			out = append(out, fmt.Sprintf("pod %s: %s is %s: %s", pod.Name, c.Type, c.Status, joinNonEmpty(c.Reason, c.Message)))
		}
	}
	statuses := append(append([]corev1.ContainerStatus(nil), pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...)
	for _, cs := range statuses {
		if w := cs.State.Waiting; w != nil {
			out = append(out, fmt.Sprintf("pod %s: container %s is waiting: %s", pod.Name, cs.Name, joinNonEmpty(w.Reason, w.Message)))
		}
		if t := cs.LastTerminationState.Terminated; t != nil {
			out = append(out, fmt.Sprintf("pod %s: container %s last exited with code %d: %s (restarted %d times)",
				pod.Name, cs.Name, t.ExitCode, joinNonEmpty(t.Reason, t.Message), cs.RestartCount))
		}
	}
	return out
}

func joinNonEmpty(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ": ")
}
