package headlampview

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// FactHPAs are the HorizontalPodAutoscalers of Headlamp's namespace that scale its Deployment.
const FactHPAs engine.Key[[]autoscalingv2.HorizontalPodAutoscaler] = "headlamp-hpas"

// Strategy is how the Deployment replaces its pods.
type Strategy struct {
	// Type is Recreate or RollingUpdate (the API server's default when unset).
	Type appsv1.DeploymentStrategyType
	// MaxSurge is rollingUpdate.maxSurge as written ("25%" when defaulted), and Surge the number of
	// pods it allows above the replicas during a rollout.
	MaxSurge string
	Surge    int
}

// strategyOf reads a Deployment's strategy with the API server's defaults (RollingUpdate, maxSurge
// 25% rounded up), as the Deployment controller applies it.
func strategyOf(dep *appsv1.Deployment, replicas int32) Strategy {
	s := dep.Spec.Strategy
	if s.Type == appsv1.RecreateDeploymentStrategyType {
		return Strategy{Type: s.Type}
	}
	surge := intstr.FromString("25%")
	if s.RollingUpdate != nil && s.RollingUpdate.MaxSurge != nil {
		surge = *s.RollingUpdate.MaxSurge
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&surge, int(max(replicas, 1)), true)
	if err != nil {
		n = 1 // an unreadable value: the API server would have refused it; assume the default's effect
	}
	return Strategy{Type: appsv1.RollingUpdateDeploymentStrategyType, MaxSurge: surge.String(), Surge: n}
}

// hpaFact lists the HorizontalPodAutoscalers that target the Headlamp Deployment.
func hpaFact(env area.Env) engine.Fact {
	return engine.Define(FactHPAs, []engine.FactName{FactView.Name()}, func(ctx context.Context, in engine.Facts) ([]autoscalingv2.HorizontalPodAutoscaler, error) {
		h, err := FactView.Get(in)
		if err != nil {
			return nil, err
		}
		list, err := env.Kube.AutoscalingV2().HorizontalPodAutoscalers(h.Namespace).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, area.WrapAccess(area.Access{Verb: "list", Group: "autoscaling", Resource: "horizontalpodautoscalers", Namespace: h.Namespace}, err)
		}
		var out []autoscalingv2.HorizontalPodAutoscaler
		for _, hpa := range list.Items {
			ref := hpa.Spec.ScaleTargetRef
			if ref.Kind == "Deployment" && ref.Name == h.Name {
				out = append(out, hpa)
			}
		}
		return out, nil
	})
}
