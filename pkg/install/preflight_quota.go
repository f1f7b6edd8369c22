package install

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// podResources is what Headlamp's pods ask for and are limited to, and what the running ones give
// back before their replacement starts (the Deployment's Recreate strategy): nil for none.
type podResources struct {
	resources headlamp.Resources
	replicas  int64
	released  *headlamp.Resources
}

// quotaProblems compares Headlamp's pods with the namespace's LimitRanges and ResourceQuotas, which
// would refuse them at creation: install would then wait for pods that never come.
func quotaProblems(ctx context.Context, cs kubernetes.Interface, namespace string, pr podResources) []Problem {
	var problems []Problem
	ranges, err := cs.CoreV1().LimitRanges(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return []Problem{readProblem(err, "limit ranges in namespace "+namespace, "")}
	}
	for _, lr := range ranges.Items {
		problems = append(problems, limitRangeProblems(lr, pr.resources)...)
	}
	quotas, err := cs.CoreV1().ResourceQuotas(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return append(problems, readProblem(err, "resource quotas in namespace "+namespace, ""))
	}
	for _, q := range quotas.Items {
		problems = append(problems, resourceQuotaProblems(q, pr)...)
	}
	return problems
}

const resourcesHint = "change Headlamp's resources with --requests and --limits, or ask for the namespace's limits to be changed"

// limitRangeProblems applies the min, max and ratio of a LimitRange's Container and Pod items (one
// container: the same numbers) to the resources.
func limitRangeProblems(lr corev1.LimitRange, r headlamp.Resources) []Problem {
	var problems []Problem
	for _, item := range lr.Spec.Limits {
		if item.Type != corev1.LimitTypeContainer && item.Type != corev1.LimitTypePod {
			continue
		}
		for _, why := range limitItemRefusals(item, r) {
			problems = append(problems, Problem{What: fmt.Sprintf("LimitRange %s refuses Headlamp's pod: %s", lr.Name, why), Hint: resourcesHint})
		}
	}
	return problems
}

// limitItemRefusals says why one LimitRange item refuses the resources.
func limitItemRefusals(item corev1.LimitRangeItem, r headlamp.Resources) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := effective(r.Requests, item.DefaultRequest, name)
		lim, hasLim := effective(r.Limits, item.Default, name)
		if !hasReq && hasLim {
			req, hasReq = lim, true // the API server defaults a missing request to the limit
		}
		if min, ok := item.Min[name]; ok && hasReq && req.Cmp(min) < 0 {
			add("%s request %s is below its minimum %s", name, req.String(), min.String())
		}
		if max, ok := item.Max[name]; ok && (!hasLim || lim.Cmp(max) > 0) {
			add("%s limit %s is above its maximum %s", name, quantityOrNone(lim, hasLim), max.String())
		}
		if ratio, ok := item.MaxLimitRequestRatio[name]; ok && hasReq && hasLim && !req.IsZero() &&
			float64(lim.MilliValue())/float64(req.MilliValue()) > ratio.AsApproximateFloat64() {
			add("%s limit %s is more than %s times the request %s", name, lim.String(), ratio.String(), req.String())
		}
	}
	return out
}

// effective is the pod's value for a resource, else the LimitRange's default.
func effective(own, defaults corev1.ResourceList, name corev1.ResourceName) (resource.Quantity, bool) {
	if q, ok := own[name]; ok {
		return q, true
	}
	q, ok := defaults[name]
	return q, ok
}

func quantityOrNone(q resource.Quantity, ok bool) string {
	if !ok {
		return "(none)"
	}
	return q.String()
}
