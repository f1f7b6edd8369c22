package install

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

var scopesEnv = headlamp.FlagOIDCScopes.EnvName()

// setEnv does what `kubectl set env deploy/headlamp HEADLAMP_CONFIG_OIDC_SCOPES=... EXTRA=1` does: a
// literal value where install wrote a ConfigMap reference, and an entry of its own, under kubectl's
// field manager.
func setEnv(t *testing.T, cs *fake.Clientset) {
	t.Helper()
	deps := cs.AppsV1().Deployments("capsule-system")
	dep, err := deps.Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := &dep.Spec.Template.Spec.Containers[0]
	for i := range c.Env {
		if c.Env[i].Name == scopesEnv {
			c.Env[i] = corev1.EnvVar{Name: scopesEnv, Value: "profile email groups"}
		}
	}
	c.Env = append(c.Env, corev1.EnvVar{Name: "EXTRA", Value: "1"})
	if _, err := deps.Update(t.Context(), dep, metav1.UpdateOptions{FieldManager: "kubectl-set"}); err != nil {
		t.Fatal(err)
	}
}

func TestForceConflictsRemovesWhatAnotherManagerAddedBesideOurFields(t *testing.T) {
	cs, _ := installed(t, testOptions())
	setEnv(t, cs)
	var progress bytes.Buffer
	opts := testOptions()
	opts.ForceConflicts, opts.Progress = true, &progress
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	mustSay(t, "progress", progress.String(), "deployment.apps/headlamp: taking over what kubectl-set set",
		`env[name="HEADLAMP_CONFIG_OIDC_SCOPES"].value`)
	dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dep.Spec.Template.Spec.Containers[0].Env {
		switch {
		case e.Name == "EXTRA":
			t.Error("the entry kubectl set env added survived")
		case e.Name == scopesEnv && (e.Value != "" || e.ValueFrom == nil || e.ValueFrom.ConfigMapKeyRef == nil):
			t.Errorf("the scopes entry is %+v, want only install's ConfigMap reference", e)
		}
	}
	for _, m := range dep.ManagedFields {
		if m.Manager == "kubectl-set" && strings.Contains(m.FieldsV1.GetRawString(), "f:spec") {
			t.Errorf("kubectl-set still manages %s", m.FieldsV1.GetRawString())
		}
	}
}

func TestWithoutForceConflictsTheRefusalNamesTheOtherManager(t *testing.T) {
	cs, _ := installed(t, testOptions())
	setEnv(t, cs)
	// The fake does not validate; the API server refuses value beside valueFrom.
	invalid := apierrors.NewInvalid(schema.GroupKind{Group: "apps", Kind: "Deployment"}, "headlamp", field.ErrorList{
		field.Invalid(field.NewPath("spec", "template", "spec", "containers[0]", "env[4]", "valueFrom"), "", "may not be specified when `value` is not empty")})
	honourDryRun(cs, func(a k8stesting.Action) error {
		if a.GetResource().Resource == "deployments" {
			return invalid
		}
		return nil
	})
	log := recordWrites(cs, nil)
	_, err := Install(t.Context(), clients(cs), testOptions())
	var refused *DryRunError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want the dry run's refusal", err)
	}
	mustSay(t, "error", err.Error(), "may not be specified when `value` is not empty",
		"kubectl-set changed fields of it that install does not set: pass --force-conflicts")
	if w := log.all(); len(w) > 0 {
		t.Errorf("wrote %v", w)
	}
}

func TestFieldTakeoverIsGivenBackWhenTheDryRunRefuses(t *testing.T) {
	cs, _ := installed(t, testOptions())
	setEnv(t, cs)
	before, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	honourDryRun(cs, func(a k8stesting.Action) error {
		if a.GetResource().Resource == "services" {
			return apierrors.NewForbidden(schema.GroupResource{Resource: "services"}, "headlamp", errors.New("exceeded quota: q"))
		}
		return nil
	})
	opts := testOptions()
	opts.ForceConflicts = true
	if _, err := Install(t.Context(), clients(cs), opts); err == nil || !strings.Contains(err.Error(), "ResourceQuota") {
		t.Fatalf("err = %v, want the quota's refusal", err)
	}
	after, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !managersEqual(before.ManagedFields, after.ManagedFields) {
		t.Errorf("field owners after the refusal:\n%v\nbefore:\n%v", after.ManagedFields, before.ManagedFields)
	}
}

func managersEqual(a, b []metav1.ManagedFieldsEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Manager != b[i].Manager || a[i].Operation != b[i].Operation || !a[i].FieldsV1.Equal(*b[i].FieldsV1) {
			return false
		}
	}
	return true
}
