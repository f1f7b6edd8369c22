package kube

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// RolloutState is where a Deployment's rollout stands.
type RolloutState string

// The rollout states.
const (
	RolloutComplete    RolloutState = "complete"
	RolloutProgressing RolloutState = "progressing"
	RolloutFailed      RolloutState = "failed"
)

// progressDeadlineExceeded is the reason of the Progressing condition once a rollout has stalled for
// longer than spec.progressDeadlineSeconds (the deployment controller's TimedOutReason).
const progressDeadlineExceeded = "ProgressDeadlineExceeded"

// Rollout is a Deployment's rollout status and a short account of it, like "1/2 pods updated".
type Rollout struct {
	State   RolloutState `json:"state"`
	Message string       `json:"message"`
	// Available counts the available pods, old and new.
	Available int32 `json:"available"`
}

// RolloutStatus is the one readiness rule of this plugin, `kubectl rollout status`'s: the controller
// has observed the latest generation, every wanted replica runs the latest template, no old replica is
// left, and every updated replica is available. A rollout past its progress deadline has failed. Until
// then an old pod that still serves does not make the Deployment ready: it runs the previous spec.
func RolloutStatus(dep *appsv1.Deployment) Rollout {
	want := int32(1)
	if dep.Spec.Replicas != nil {
		want = *dep.Spec.Replicas
	}
	st := dep.Status
	r := Rollout{State: RolloutProgressing, Available: st.AvailableReplicas}
	// The generation comes first: until the controller has seen the new spec, its conditions still
	// describe the previous rollout, which the new spec may fix.
	if st.ObservedGeneration < dep.Generation {
		r.Message = "the controller has not seen the new spec yet"
		return r
	}
	for _, c := range st.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == progressDeadlineExceeded {
			r.State, r.Message = RolloutFailed, "progress deadline exceeded: "+c.Message
			return r
		}
	}
	switch {
	case st.UpdatedReplicas < want:
		r.Message = fmt.Sprintf("%d/%d pods updated", st.UpdatedReplicas, want)
	case st.Replicas > st.UpdatedReplicas:
		r.Message = fmt.Sprintf("%d old pods not replaced yet", st.Replicas-st.UpdatedReplicas)
	case st.AvailableReplicas < st.UpdatedReplicas:
		r.Message = fmt.Sprintf("%d/%d pods available", st.AvailableReplicas, st.UpdatedReplicas)
	default:
		r.State, r.Message = RolloutComplete, fmt.Sprintf("%d/%d pods available", st.AvailableReplicas, want)
	}
	return r
}
