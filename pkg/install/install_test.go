package install

import (
	"bytes"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func TestInstallAppliesEveryObject(t *testing.T) {
	cs := healthyCluster(t)
	var progress bytes.Buffer
	opts := testOptions()
	opts.Progress = &progress
	res, err := Install(t.Context(), clients(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"serviceaccount/headlamp created", "configmap/headlamp-oidc created", "secret/headlamp-oidc created", "deployment.apps/headlamp created", "service/headlamp created"}
	for _, w := range want {
		if !strings.Contains(progress.String(), w) {
			t.Errorf("progress does not say %q:\n%s", w, progress.String())
		}
	}
	if len(res.Applied) != len(want) {
		t.Errorf("applied %v", res.Applied)
	}
	sec, err := cs.CoreV1().Secrets("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil || string(sec.Data["clientSecret"]) != "test-client-secret" {
		t.Fatalf("stored secret: %v", err)
	}
	if sec.Labels[headlamp.LabelManagedBy] != headlamp.ManagedBy {
		t.Errorf("secret labels %v", sec.Labels)
	}
	if got := string(res.Objects.Secret.Data["clientSecret"]); got != headlamp.RedactedValue {
		t.Errorf("the result's objects hold the secret, not %q", headlamp.RedactedValue)
	}
	if strings.Contains(progress.String(), "test-client-secret") {
		t.Error("the client secret reached the progress output")
	}
}

func TestInstallClientDryRunWritesNothing(t *testing.T) {
	cs := healthyCluster(t)
	opts := testOptions()
	opts.DryRun = DryRunClient
	res, err := Install(t.Context(), clients(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects.Deployment == nil || len(res.Applied) != 0 {
		t.Errorf("client dry run: objects %v, applied %v", res.Objects.Deployment != nil, res.Applied)
	}
	for _, a := range cs.Actions() {
		review := a.GetVerb() == "create" && a.GetResource().Resource == "selfsubjectaccessreviews"
		if v := a.GetVerb(); v != "get" && v != "list" && !review {
			t.Errorf("client dry run wrote: %s %s", v, a.GetResource().Resource)
		}
	}
}

func TestInstallRefusesBeforeWriting(t *testing.T) {
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey), helmDeployment())
	if _, err := Install(t.Context(), clients(cs), testOptions()); err == nil {
		t.Fatal("installed over a Helm release")
	}
	for _, a := range cs.Actions() {
		if a.GetVerb() == "patch" || a.GetVerb() == "update" || a.GetVerb() == "delete" {
			t.Errorf("preflight failure still wrote: %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
}

func TestInstallInAnotherNamespaceCopiesOnlyTheCA(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := cs.CoreV1().Namespaces().Create(t.Context(), namespace("headlamp"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.Settings.Namespace = "headlamp"
	res, err := Install(t.Context(), clients(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := cs.CoreV1().ConfigMaps("headlamp").Get(t.Context(), headlamp.ProxyCACopyName("headlamp"), metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cm.Data) != 1 || !strings.Contains(cm.Data[headlamp.CAKey], "BEGIN CERTIFICATE") || strings.Contains(cm.Data[headlamp.CAKey], "PRIVATE KEY") {
		t.Errorf("the copy holds %v", cm.Data)
	}
	if !res.Settings.Proxy.CopyCA {
		t.Error("settings do not say the CA is copied")
	}
}
