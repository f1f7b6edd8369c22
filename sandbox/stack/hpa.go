package stack

import (
	"context"
	"fmt"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// CreateHPA creates a HorizontalPodAutoscaler (autoscaling/v2, named after the Deployment) that
// targets Deployment ns/deployment with min and max replicas and a CPU utilization target, as a chart's
// autoscaling values would. The sandbox runs no HPA controller and no metrics server, so nothing acts
// on it: it is there to be found. Restore deletes it.
func (s *Stack) CreateHPA(ctx context.Context, ns, deployment string, minReplicas, maxReplicas int32) (Restore, error) {
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: deployment, Namespace: ns},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: deployment},
			MinReplicas:    ptr.To(minReplicas),
			MaxReplicas:    maxReplicas,
			Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
				Name:   "cpu",
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr.To(int32(80))},
			}}},
		},
	}
	hpas := s.kube.AutoscalingV2().HorizontalPodAutoscalers(ns)
	restore := func(ctx context.Context) error {
		if err := hpas.Delete(ctx, deployment, metav1.DeleteOptions{}); ignoreNotFound(err) != nil {
			return fmt.Errorf("delete HorizontalPodAutoscaler %s/%s: %w", ns, deployment, err)
		}
		return nil
	}
	if _, err := hpas.Create(ctx, hpa, metav1.CreateOptions{}); err != nil {
		return restore, fmt.Errorf("create HorizontalPodAutoscaler %s/%s: %w", ns, deployment, err)
	}
	return restore, nil
}
