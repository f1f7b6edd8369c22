package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// managedBy selects the objects install creates.
const managedBy = "app.kubernetes.io/managed-by=kubectl-capsule-headlamp"

// clientSecret is the sandbox's headlamp client secret, which must never appear in any output.
func headlampClientSecret(t testing.TB) string {
	t.Helper()
	s, err := sb.ClientSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// plugin runs the plugin as the sandbox admin and checks that the client secret stays out of its output.
func runAsAdmin(t testing.TB, args ...string) pluginRun {
	t.Helper()
	run := runPlugin(t, nil, []string{"KUBECONFIG=" + sb.AdminKubeconfig()}, args...)
	assertNoSecret(t, run, headlampClientSecret(t))
	return run
}

// installArgs are the arguments of an install into ns that trusts the sandbox's Dex.
func installArgs(ns string, extra ...string) []string {
	args := []string{"install", "-n", ns, "--oidc-issuer-url", stack.IssuerURL,
		"--oidc-client-secret-file", sb.ClientSecretFile(), "--oidc-ca-file", sb.OIDCCAFile(), "--timeout", "2m"}
	return append(args, extra...)
}

// mustSucceed fails the test unless the run exited 0.
func mustSucceed(t testing.TB, run pluginRun) {
	t.Helper()
	if run.Code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", run.Code, run.Stdout, run.Stderr)
	}
}

// uninstallAtCleanup removes what install created in ns when the test ends, whatever happened. It
// runs the plugin itself: the test's context is already cancelled during cleanup.
func uninstallAtCleanup(t *testing.T, ns string) {
	bin := pluginBinary(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "uninstall", "-n", ns)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "KUBECONFIG=" + sb.AdminKubeconfig()}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("cleanup uninstall -n %s: %v\n%s", ns, err, out)
		}
	})
}

// ours lists the objects carrying our managed-by label in ns, as kind/name -> resourceVersion.
func oursIn(t *testing.T, ns string) map[string]string {
	t.Helper()
	ctx, kube, opts := t.Context(), sb.Kube(), metav1.ListOptions{LabelSelector: managedBy}
	found := map[string]string{}
	add := func(kind string, items []metav1.Object, err error) {
		if err != nil {
			t.Fatalf("list %s: %v", kind, err)
		}
		for _, o := range items {
			found[kind+"/"+o.GetName()] = writtenState(kind, o)
		}
	}
	sas, err := kube.CoreV1().ServiceAccounts(ns).List(ctx, opts)
	add("serviceaccount", metaObjects(sas.Items), err)
	secrets, err := kube.CoreV1().Secrets(ns).List(ctx, opts)
	add("secret", metaObjects(secrets.Items), err)
	cms, err := kube.CoreV1().ConfigMaps(ns).List(ctx, opts)
	add("configmap", metaObjects(cms.Items), err)
	deps, err := kube.AppsV1().Deployments(ns).List(ctx, opts)
	add("deployment", metaObjects(deps.Items), err)
	svcs, err := kube.CoreV1().Services(ns).List(ctx, opts)
	add("service", metaObjects(svcs.Items), err)
	ings, err := kube.NetworkingV1().Ingresses(ns).List(ctx, opts)
	add("ingress", metaObjects(ings.Items), err)
	nps, err := kube.NetworkingV1().NetworkPolicies(ns).List(ctx, opts)
	add("networkpolicy", metaObjects(nps.Items), err)
	roles, err := kube.RbacV1().Roles(ns).List(ctx, opts)
	add("role", metaObjects(roles.Items), err)
	rbs, err := kube.RbacV1().RoleBindings(ns).List(ctx, opts)
	add("rolebinding", metaObjects(rbs.Items), err)
	routes, err := sb.Dynamic().Resource(httpRoutes).Namespace(ns).List(ctx, opts)
	if apierrors.IsNotFound(err) { // no Gateway API in the cluster
		return found
	}
	add("httproute", metaObjects(routes.Items), err)
	return found
}

// writtenState is what changes when someone writes the object, leaving out what its controller
// writes: the resourceVersion, except for the kinds with a status, whose controllers (the deployment
// controller, a Gateway) keep writing it after a rollout; for those, the generation and every manager's
// fields outside the status.
func writtenState(kind string, o metav1.Object) string {
	switch kind {
	case "deployment", "ingress", "httproute":
	default:
		return "resourceVersion " + o.GetResourceVersion()
	}
	var managers []string
	for _, m := range o.GetManagedFields() {
		if m.Subresource == "" {
			managers = append(managers, fmt.Sprintf("%s %s %s", m.Manager, m.Operation, m.FieldsV1))
		}
	}
	return fmt.Sprintf("generation %d, labels %v, annotations %v, fields %v", o.GetGeneration(), o.GetLabels(), o.GetAnnotations(), managers)
}

func metaObjects[T any, P interface {
	*T
	metav1.Object
}](items []T) []metav1.Object {
	out := make([]metav1.Object, len(items))
	for i := range items {
		out[i] = P(&items[i])
	}
	return out
}

// createNamespace creates a namespace with labels and deletes it at cleanup.
func newTestNamespace(t *testing.T, name string, labels map[string]string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	if _, err := sb.Kube().CoreV1().Namespaces().Create(t.Context(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sb.Kube().CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
}

// contains fails the test unless s holds every want.
func mustContain(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, s)
		}
	}
}
