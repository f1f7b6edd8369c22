package kube

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func deploymentWith(replicas int32, status appsv1.DeploymentStatus) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "ns", Generation: 2},
		Spec:       appsv1.DeploymentSpec{Replicas: &replicas},
		Status:     status,
	}
}

func TestRolloutStatus(t *testing.T) {
	deadline := []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse,
		Reason: "ProgressDeadlineExceeded", Message: `ReplicaSet "headlamp-2" has timed out progressing.`}}
	tests := []struct {
		name     string
		replicas int32
		status   appsv1.DeploymentStatus
		want     RolloutState
		says     string
	}{
		{"old generation", 1, appsv1.DeploymentStatus{ObservedGeneration: 1, UpdatedReplicas: 1, AvailableReplicas: 1, Replicas: 1}, RolloutProgressing, "not seen the new spec"},
		{"not updated", 1, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 1, AvailableReplicas: 1}, RolloutProgressing, "0/1 pods updated"},
		// A new ReplicaSet whose pod never gets ready, while the old pod still serves (maxUnavailable 0):
		// a ready replica, and yet not rolled out.
		{"stuck rollout, old pod serving", 1, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 1,
			ReadyReplicas: 1, AvailableReplicas: 1, UnavailableReplicas: 1}, RolloutProgressing, "1 old pods not replaced yet"},
		{"not available", 1, appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1}, RolloutProgressing, "0/1 pods available"},
		{"available", 1, appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1, AvailableReplicas: 1}, RolloutComplete, "1/1 pods available"},
		{"two of two", 2, appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 2, Replicas: 2, AvailableReplicas: 2}, RolloutComplete, "2/2"},
		{"scaled to zero", 0, appsv1.DeploymentStatus{ObservedGeneration: 2}, RolloutComplete, "0/0"},
		{"deadline", 1, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 1, Conditions: deadline},
			RolloutFailed, "progress deadline exceeded: ReplicaSet \"headlamp-2\" has timed out"},
		// Right after a re-install the controller has not yet reset the condition of the failed rollout
		// the new spec fixes.
		{"stale deadline", 1, appsv1.DeploymentStatus{ObservedGeneration: 1, Conditions: deadline}, RolloutProgressing, "not seen the new spec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RolloutStatus(deploymentWith(tt.replicas, tt.status))
			if got.State != tt.want || !strings.Contains(got.Message, tt.says) || got.Available != tt.status.AvailableReplicas {
				t.Errorf("RolloutStatus() = %+v, want %s saying %q", got, tt.want, tt.says)
			}
		})
	}
}
