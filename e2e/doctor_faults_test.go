package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// cleanupCtx bounds a restore run at cleanup, when the test's own context has ended.
func cleanupCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Minute)
}

// proxyCertFault breaks capsule-proxy's Secret (and what the stand-in serves) until the test ends.
func proxyCertFault(t *testing.T, fault stack.ProxyCertFault) {
	t.Helper()
	restore, err := sb.ReplaceProxyCert(t.Context(), fault)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore the proxy certificate: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// changeDeployment updates a Deployment with change and puts its spec back at cleanup, waiting for
// it to be available again either way (a replica count of 0 is never waited for).
func changeDeployment(t *testing.T, ns, name string, change func(*appsv1.Deployment)) {
	t.Helper()
	deps := sb.Kube().AppsV1().Deployments(ns)
	before, err := deps.Get(t.Context(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			d, err := deps.Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			d.Spec = before.Spec
			_, err = deps.Update(ctx, d, metav1.UpdateOptions{})
			return err
		})
		if err != nil {
			t.Errorf("restore deployment %s/%s: %v", ns, name, err)
			return
		}
		waitRolledOut(t, ctx, ns, name)
	})
	d := before.DeepCopy()
	change(d)
	if _, err := deps.Update(t.Context(), d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas > 0 {
		waitRolledOut(t, t.Context(), ns, name)
	}
}

// waitRolledOut waits until every replica of the Deployment's current generation is ready and no old
// pod is left, so the next doctor run sees one settled state.
func waitRolledOut(t *testing.T, ctx context.Context, ns, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var last error
	for {
		if last = sb.RolledOut(ctx, ns, name); last == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("deployment %s/%s did not roll out: %v", ns, name, last)
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// headlampArg adds a container argument to Headlamp until the test ends.
func headlampArg(t *testing.T, arg string) {
	t.Helper()
	changeDeployment(t, stack.CapsuleNamespace, "headlamp", func(d *appsv1.Deployment) {
		c := &d.Spec.Template.Spec.Containers[0]
		c.Args = append(c.Args, arg)
	})
}

// scaleDeployment sets a Deployment's replicas until the test ends.
func scaleDeployment(t *testing.T, ns, name string, n int32) {
	t.Helper()
	changeDeployment(t, ns, name, func(d *appsv1.Deployment) { d.Spec.Replicas = &n })
	if n == 0 {
		eventually(t, "the pods of "+name+" gone", func(ctx context.Context) error { return noPods(ctx, ns, name) })
	}
}

func noPods(ctx context.Context, ns, name string) error {
	pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + name})
	if err != nil {
		return err
	}
	if len(pods.Items) > 0 {
		return fmt.Errorf("%d pods left", len(pods.Items))
	}
	return nil
}

// bindClusterAdmin binds a ServiceAccount to cluster-admin until the test ends, as the official chart does.
func bindClusterAdmin(t *testing.T, ns, sa string) string {
	t.Helper()
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp-admin"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: sa, Namespace: ns}},
	}
	crbs := sb.Kube().RbacV1().ClusterRoleBindings()
	if _, err := crbs.Create(t.Context(), crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := crbs.Delete(context.Background(), crb.Name, metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete clusterrolebinding %s: %v", crb.Name, err)
		}
	})
	return crb.Name
}

// hangComponent replaces a sandbox component by a listener that never answers, until the test ends.
func hangComponent(t *testing.T, name string) {
	t.Helper()
	restore, err := sb.HangComponent(t.Context(), name)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore %s: %v", name, err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
