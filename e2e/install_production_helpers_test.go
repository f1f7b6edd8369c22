package e2e

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// enforcedQuota creates a ResourceQuota on compute resources in ns and fills its status as the
// quota controller would (the sandbox runs none): the API server's quota admission judges pods by
// the status, and counts each admitted pod into it.
func enforcedQuota(t *testing.T, ns string) {
	t.Helper()
	q := resource.MustParse
	hard := corev1.ResourceList{corev1.ResourcePods: q("10"), corev1.ResourceRequestsCPU: q("4"), corev1.ResourceRequestsMemory: q("8Gi"),
		corev1.ResourceLimitsCPU: q("8"), corev1.ResourceLimitsMemory: q("8Gi")}
	used := corev1.ResourceList{}
	for name := range hard {
		used[name] = q("0")
	}
	quotas := sb.Kube().CoreV1().ResourceQuotas(ns)
	rq, err := quotas.Create(t.Context(), &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "compute", Namespace: ns},
		Spec: corev1.ResourceQuotaSpec{Hard: hard}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rq.Status = corev1.ResourceQuotaStatus{Hard: hard, Used: used}
	if _, err := quotas.UpdateStatus(t.Context(), rq, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// quotaUsed is what the quota counts as used of a resource.
func quotaUsed(t *testing.T, ns string, name corev1.ResourceName) resource.Quantity {
	t.Helper()
	rq, err := sb.Kube().CoreV1().ResourceQuotas(ns).Get(t.Context(), "compute", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rq.Status.Used[name]
}

// refuses runs an install that preflight must refuse, and checks that nothing changed.
func refuses(t *testing.T, ns string, before map[string]string, args []string, want ...string) {
	t.Helper()
	run := runAsAdmin(t, args...)
	if run.Code != 1 {
		t.Errorf("%q: exit code %d, want 1\nstderr:\n%s", args, run.Code, run.Stderr)
	}
	mustContain(t, "stderr", run.Stderr, append(want, "nothing was changed")...)
	if after := oursIn(t, ns); !reflect.DeepEqual(after, before) {
		t.Errorf("%q changed the installation:\nbefore %v\nafter  %v", args, before, after)
	}
}

// without returns m without the keys.
func without(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
