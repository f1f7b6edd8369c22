package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// kubectlAsAdmin runs kubectl as the sandbox admin, as a user editing by hand would, and returns its
// output; a failure stops the test.
func kubectlAsAdmin(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), sb.KubectlPath(), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, adminEnv()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// installedState is what decides how Headlamp runs in ns, by object: the data of our ConfigMaps and
// Secrets (hashed: no secret in a failure message) and the Deployment's pod template.
func installedState(t *testing.T, ns string) map[string]string {
	t.Helper()
	ctx, kube, opts := t.Context(), sb.Kube(), metav1.ListOptions{LabelSelector: managedBy}
	state := map[string]string{}
	hash := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x", sha256.Sum256(raw))[:16]
	}
	cms, err := kube.CoreV1().ConfigMaps(ns).List(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range cms.Items {
		state["configmap/"+cm.Name] = hash(cm.Data)
	}
	secrets, err := kube.CoreV1().Secrets(ns).List(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets.Items {
		state["secret/"+s.Name] = hash(s.Data)
	}
	deps, err := kube.AppsV1().Deployments(ns).List(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps.Items {
		state["deployment/"+d.Name] = hash(d.Spec.Template)
	}
	return state
}

// sameState fails the test when the state differs from want.
func sameState(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s changed", what, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s appeared", what, k)
		}
	}
}

// headlampPodUIDs lists the Headlamp pods of ns that are not being deleted.
func headlampPodUIDs(t *testing.T, ns string) []string {
	t.Helper()
	pods, err := sb.Kube().CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
	if err != nil {
		t.Fatal(err)
	}
	var uids []string
	for _, p := range pods.Items {
		if p.DeletionTimestamp == nil {
			uids = append(uids, string(p.UID))
		}
	}
	return uids
}

// refuseRealDeploymentUpdates makes the API server refuse every update of a Deployment in ns that is
// not a dry run, as an admission webhook that cannot judge dry runs the same way, or a quota used up
// meanwhile, would: install's dry run passes, its write of the Deployment fails. It returns once the
// API server enforces the policy, removed when the test ends.
func refuseRealDeploymentUpdates(t *testing.T, ns string) {
	t.Helper()
	ctx := t.Context()
	probe := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "probe", Namespace: ns},
		Spec: appsv1.DeploymentSpec{Replicas: new(int32),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"probe": "yes"}}}}
	probe.Spec.Template.Labels = map[string]string{"probe": "yes"}
	probe.Spec.Template.Spec.Containers = []corev1.Container{{Name: "probe", Image: "probe"}}
	if _, err := sb.Kube().AppsV1().Deployments(ns).Create(ctx, probe, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "e2e-no-deployment-updates-" + ns},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Update},
					Rule:       admissionv1.Rule{APIGroups: []string{"apps"}, APIVersions: []string{"v1"}, Resources: []string{"deployments"}},
				},
			}}},
			Validations: []admissionv1.Validation{{Expression: "request.dryRun == true",
				Message: "deployments may not change in this namespace (dry runs pass)"}},
		},
	}
	bindPolicy(t, policy, ns)
	eventually(t, "the policy to refuse deployment updates", func(ctx context.Context) error {
		dep, err := sb.Kube().AppsV1().Deployments(ns).Get(ctx, "probe", metav1.GetOptions{})
		if err != nil {
			return err
		}
		dep.Labels = map[string]string{"probed": time.Now().Format("150405.000000")}
		if _, err = sb.Kube().AppsV1().Deployments(ns).Update(ctx, dep, metav1.UpdateOptions{}); err == nil {
			return errors.New("an update was still admitted")
		}
		if !strings.Contains(err.Error(), "may not change") {
			return err
		}
		return nil
	})
}

// bindPolicy creates a ValidatingAdmissionPolicy that denies what it refuses in namespace ns, until
// the test ends.
func bindPolicy(t *testing.T, policy *admissionv1.ValidatingAdmissionPolicy, ns string) {
	t.Helper()
	ctx, vap := t.Context(), sb.Kube().AdmissionregistrationV1()
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: policy.Name},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        policy.Name,
			ValidationActions: []admissionv1.ValidationAction{admissionv1.Deny},
			MatchResources: &admissionv1.MatchResources{NamespaceSelector: &metav1.LabelSelector{
				MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns}}},
		},
	}
	if _, err := vap.ValidatingAdmissionPolicies().Create(ctx, policy, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := vap.ValidatingAdmissionPolicyBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = vap.ValidatingAdmissionPolicyBindings().Delete(context.Background(), binding.Name, metav1.DeleteOptions{})
		_ = vap.ValidatingAdmissionPolicies().Delete(context.Background(), policy.Name, metav1.DeleteOptions{})
	})
}

// refuseImagesOutside makes the API server refuse, dry runs included, every Deployment in ns whose
// containers' images do not start with registry, as an organisation's admission policy would. It
// returns once the API server enforces the policy.
func refuseImagesOutside(t *testing.T, ns, registry string) {
	t.Helper()
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "e2e-images-" + ns},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Create, admissionv1.Update},
					Rule:       admissionv1.Rule{APIGroups: []string{"apps"}, APIVersions: []string{"v1"}, Resources: []string{"deployments"}},
				},
			}}},
			Validations: []admissionv1.Validation{{
				Expression: fmt.Sprintf("object.spec.template.spec.containers.all(c, c.image.startsWith(%q))", registry),
				Message:    "images must come from " + registry}},
		},
	}
	bindPolicy(t, policy, ns)
	eventually(t, "the policy to refuse images", func(ctx context.Context) error {
		dep, err := sb.Kube().AppsV1().Deployments(ns).Get(ctx, "headlamp", metav1.GetOptions{})
		if err != nil {
			return err
		}
		dep.Labels["probed"] = "yes"
		_, err = sb.Kube().AppsV1().Deployments(ns).Update(ctx, dep, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil || !strings.Contains(err.Error(), "images must come from") {
			return fmt.Errorf("a Deployment was still admitted: %v", err)
		}
		return nil
	})
}
