package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

var (
	labelsEverything = labels.Everything()
	kwokPortForwards = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "portforwards"}
	kwokLogs         = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "logs"}
)

// kwokObject is a KWOK per-pod object: same namespace and name as the pod, owned by it, so that it
// goes when the pod goes.
func kwokObject(p *corev1.Pod, kind string, spec map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": kind,
		"metadata": map[string]any{"name": p.Name, "namespace": p.Namespace, "ownerReferences": []any{map[string]any{
			"apiVersion": "v1", "kind": "Pod", "name": p.Name, "uid": string(p.UID),
		}}},
		"spec": spec,
	}}
	return u
}

// applyPodLog makes KWOK serve file as the log of container c of pod p.
func (r *podRuntime) applyPodLog(ctx context.Context, p *corev1.Pod, c, file string) error {
	obj := kwokObject(p, "Logs", map[string]any{"logs": []any{map[string]any{
		"containers": []any{c}, "logsFile": file, "follow": true,
	}}})
	_, err := r.s.dyn.Resource(kwokLogs).Namespace(p.Namespace).Apply(ctx, p.Name, obj, metav1.ApplyOptions{FieldManager: "sandbox", Force: true})
	if err != nil {
		return fmt.Errorf("serve the log of pod %s/%s: %w", p.Namespace, p.Name, err)
	}
	return nil
}

// applyPortForward makes KWOK forward port of pod p to addr (host:port).
func (r *podRuntime) applyPortForward(ctx context.Context, p *corev1.Pod, port int, host string, target int) error {
	obj := kwokObject(p, "PortForward", map[string]any{"forwards": []any{map[string]any{
		"ports": []any{int64(port)}, "target": map[string]any{"port": int64(target), "address": host},
	}}})
	_, err := r.s.dyn.Resource(kwokPortForwards).Namespace(p.Namespace).Apply(ctx, p.Name, obj, metav1.ApplyOptions{FieldManager: "sandbox", Force: true})
	if err != nil {
		return fmt.Errorf("forward port %d of pod %s/%s: %w", port, p.Namespace, p.Name, err)
	}
	return nil
}

// containerState is what the runtime says about a stand-in's container: running, or waiting with a
// reason (CrashLoopBackOff after an exit at start, ContainerCreating while a volume cannot be mounted).
type containerState struct {
	waiting, message string
}

// setContainerState reports state in the pod's status like a kubelet: the container's status and the
// pod's Ready and ContainersReady conditions. It writes only when something changes.
func (r *podRuntime) setContainerState(ctx context.Context, p *corev1.Pod, c string, st containerState) error {
	if p.Status.Phase != corev1.PodRunning || currentState(p, c) == st {
		return nil
	}
	ready, now := st.waiting == "", metav1.NewTime(time.Now())
	cs := map[string]any{"name": c, "ready": ready, "started": ready}
	cond := map[bool]corev1.ConditionStatus{true: corev1.ConditionTrue, false: corev1.ConditionFalse}[ready]
	conds := []any{
		map[string]any{"type": string(corev1.PodReady), "status": string(cond), "lastTransitionTime": now},
		map[string]any{"type": string(corev1.ContainersReady), "status": string(cond), "lastTransitionTime": now},
	}
	if ready {
		cs["state"] = map[string]any{"running": map[string]any{"startedAt": now}, "waiting": nil}
	} else {
		cs["state"] = map[string]any{"waiting": map[string]any{"reason": st.waiting, "message": st.message}, "running": nil}
		for _, m := range conds {
			m.(map[string]any)["reason"] = "ContainersNotReady"
			m.(map[string]any)["message"] = "containers with unready status: [" + c + "]"
		}
	}
	patch, err := json.Marshal(map[string]any{"status": map[string]any{"conditions": conds, "containerStatuses": []any{cs}}})
	if err != nil {
		return err
	}
	_, err = r.s.kube.CoreV1().Pods(p.Namespace).Patch(ctx, p.Name, types.StrategicMergePatchType, patch, metav1.PatchOptions{}, "status")
	return err
}

// currentState reads back what setContainerState writes.
func currentState(p *corev1.Pod, c string) containerState {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name == c {
			if cs.State.Waiting != nil {
				return containerState{waiting: cs.State.Waiting.Reason, message: cs.State.Waiting.Message}
			}
			if cs.Ready {
				return containerState{}
			}
			return containerState{waiting: "?"}
		}
	}
	return containerState{waiting: "?"}
}
