package install

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// quotaDemand maps each compute resource a ResourceQuota may track to what one Headlamp pod uses
// of it: pods count one, cpu and memory are the requests.
func quotaDemand(r headlamp.Resources) map[corev1.ResourceName]*resource.Quantity {
	one := resource.MustParse("1")
	demand := map[corev1.ResourceName]*resource.Quantity{corev1.ResourcePods: &one}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if q, ok := r.Requests[name]; ok {
			demand[name], demand["requests."+name] = &q, &q
		} else {
			demand[name], demand["requests."+name] = nil, nil
		}
		if q, ok := r.Limits[name]; ok {
			demand["limits."+name] = &q
		} else {
			demand["limits."+name] = nil
		}
	}
	return demand
}

// resourceQuotaProblems adds Headlamp's pods to what a ResourceQuota counts as used (less what the
// pods they replace give back) and compares with its hard limits; a tracked resource the pod does
// not state is refused too. Quotas limited to scopes that never match Headlamp's pods (long-running,
// with resources) are left out.
func resourceQuotaProblems(q corev1.ResourceQuota, pr podResources) []Problem {
	if !quotaAppliesToHeadlamp(q) {
		return nil
	}
	hard := q.Spec.Hard
	if len(hard) == 0 {
		hard = q.Status.Hard
	}
	need, released := quotaDemand(pr.resources), map[corev1.ResourceName]*resource.Quantity{}
	if pr.released != nil {
		released = quotaDemand(*pr.released)
	}
	var problems []Problem
	for _, name := range slices.Sorted(maps.Keys(hard)) {
		limit := hard[name]
		per, tracked := need[name]
		switch {
		case !tracked:
			continue
		case per == nil:
			problems = append(problems, Problem{What: fmt.Sprintf("ResourceQuota %s tracks %s: Headlamp's pod must state it", q.Name, name), Hint: resourcesHint})
			continue
		}
		total := q.Status.Used[name].DeepCopy()
		if r := released[name]; r != nil {
			for range pr.replicas {
				total.Sub(*r)
			}
		}
		for range pr.replicas {
			total.Add(*per)
		}
		if total.Cmp(limit) > 0 {
			used := q.Status.Used[name]
			problems = append(problems, Problem{What: fmt.Sprintf("ResourceQuota %s would be exceeded: %s would reach %s of %s (%s used now)",
				q.Name, name, total.String(), limit.String(), used.String()), Hint: resourcesHint})
		}
	}
	return problems
}

// quotaAppliesToHeadlamp reports whether a quota counts Headlamp's pods: not when it is limited to
// terminating or best-effort pods, to a priority class, or by a scope selector.
func quotaAppliesToHeadlamp(q corev1.ResourceQuota) bool {
	if q.Spec.ScopeSelector != nil && len(q.Spec.ScopeSelector.MatchExpressions) > 0 {
		return false
	}
	for _, scope := range q.Spec.Scopes {
		if scope != corev1.ResourceQuotaScopeNotTerminating && scope != corev1.ResourceQuotaScopeNotBestEffort {
			return false
		}
	}
	return true
}
