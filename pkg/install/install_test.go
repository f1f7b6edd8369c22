package install

import (
	"bytes"
	"context"
	"errors"
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

// refuseFindings is a pre-install checker that fails on preflight's findings, as doctor's
// INSTALL-* checks do.
func refuseFindings(called *int) Checker {
	return func(_ context.Context, p Plan) error {
		*called++
		if n := len(p.Facts.Problems()); n > 0 {
			return &CheckError{Problems: n}
		}
		return nil
	}
}

func TestInstallRefusesBeforeWriting(t *testing.T) {
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey), helmDeployment())
	opts, called := testOptions(), 0
	opts.Check = refuseFindings(&called)
	_, err := Install(t.Context(), clients(cs), opts)
	var ce *CheckError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nothing was changed") || called != 1 {
		t.Fatalf("err = %v after %d check(s), want a CheckError saying nothing was changed", err, called)
	}
	for _, a := range cs.Actions() {
		if a.GetVerb() == "patch" || a.GetVerb() == "update" || a.GetVerb() == "delete" || a.GetVerb() == "create" && a.GetResource().Resource != "selfsubjectaccessreviews" {
			t.Errorf("a refused install still wrote: %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
}

// TestInstallForceWritesAnyway: --force writes what the checks refused, and says so.
func TestInstallForceWritesAnyway(t *testing.T) {
	cs := healthyCluster(t)
	var progress bytes.Buffer
	opts := testOptions()
	opts.Force, opts.Progress = true, &progress
	opts.Check = func(context.Context, Plan) error { return &CheckError{Problems: 2} }
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{}); err != nil {
		t.Errorf("--force did not write: %v", err)
	}
	mustSay(t, "progress", progress.String(), "found 2 problem(s)", "--force wrote anyway")
	// Not even --force writes an IdP CA that could not be read.
	opts.IDPCAErr = errors.New("too large")
	if _, err := Install(t.Context(), clients(cs), opts); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("err = %v", err)
	}
}

// TestClientDryRunIsNotChecked: a client dry run stays offline: the checks, which ask the IdP, do not run.
func TestClientDryRunIsNotChecked(t *testing.T) {
	opts, called := testOptions(), 0
	opts.Check, opts.DryRun = refuseFindings(&called), DryRunClient
	if _, err := Install(t.Context(), clients(healthyCluster(t)), opts); err != nil || called != 0 {
		t.Errorf("err %v, checks ran %d time(s)", err, called)
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
