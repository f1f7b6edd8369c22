package install

import (
	"bytes"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// installedWithIngress is a cluster where an earlier install created an Ingress, plus an Ingress
// with Headlamp's name and instance labels that another tool manages.
func installedWithIngress(t *testing.T) *fake.Clientset {
	t.Helper()
	cs := healthyCluster(t)
	opts := testOptions()
	opts.Settings.Ingress = &headlamp.Ingress{Host: "headlamp.example.com", TLSSecret: "hl-tls"}
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	theirs := &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-public", Namespace: "capsule-system",
		Labels: map[string]string{headlamp.LabelName: headlamp.AppName, headlamp.LabelInstance: "headlamp"}}}
	if _, err := cs.NetworkingV1().Ingresses("capsule-system").Create(t.Context(), theirs, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return cs
}

func ingressNames(t *testing.T, cs *fake.Clientset) []string {
	t.Helper()
	list, err := cs.NetworkingV1().Ingresses("capsule-system").List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range list.Items {
		names = append(names, i.Name)
	}
	return names
}

func TestInstallPrunesWhatItNoLongerCreates(t *testing.T) {
	cs := installedWithIngress(t)
	var progress bytes.Buffer
	opts := testOptions()
	opts.Progress = &progress
	res, err := Install(t.Context(), clients(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := ingressNames(t, cs); len(got) != 1 || got[0] != "headlamp-public" {
		t.Errorf("ingresses left: %v, want only the unlabelled headlamp-public", got)
	}
	if len(res.Pruned) != 1 || res.Pruned[0].String() != "ingress.networking.k8s.io/headlamp" {
		t.Errorf("pruned %v", res.Pruned)
	}
	if !strings.Contains(progress.String(), "ingress.networking.k8s.io/headlamp pruned\n") {
		t.Errorf("progress:\n%s", progress.String())
	}
	if _, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{}); err != nil {
		t.Errorf("prune removed what install builds: %v", err)
	}
}

func TestInstallPrunesTheIdPCA(t *testing.T) {
	cs := healthyCluster(t)
	opts := testOptions()
	opts.Settings.OIDC.CA = &headlamp.CA{From: headlamp.KeyRef{Kind: headlamp.KindConfigMap, Name: headlamp.IDPCAConfigMapName("headlamp"), Key: headlamp.CAKey},
		Trust: headlamp.TrustAppend, Path: headlamp.IDPCADir}
	opts.IDPCA = goodPKI(t).caPEM
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().ConfigMaps("capsule-system").Get(t.Context(), "headlamp-idp-ca", metav1.GetOptions{}); err != nil {
		t.Fatalf("the first install made no IdP CA ConfigMap: %v", err)
	}
	res, err := Install(t.Context(), clients(cs), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().ConfigMaps("capsule-system").Get(t.Context(), "headlamp-idp-ca", metav1.GetOptions{}); err == nil {
		t.Errorf("the IdP CA ConfigMap stayed; pruned %v", res.Pruned)
	}
}

func TestInstallDryRunsPruneNothing(t *testing.T) {
	for _, dry := range []DryRun{DryRunClient, DryRunServer} {
		cs := installedWithIngress(t)
		var progress bytes.Buffer
		opts := testOptions()
		opts.DryRun, opts.Progress = dry, &progress
		res, err := Install(t.Context(), clients(cs), opts)
		if err != nil {
			t.Fatal(err)
		}
		// The fake clientset ignores dryRun=All, so a server dry run is checked by the options sent.
		for _, a := range cs.Actions() {
			del, ok := a.(interface{ GetDeleteOptions() metav1.DeleteOptions })
			if a.GetVerb() == "delete" && (dry == DryRunClient || !ok || len(del.GetDeleteOptions().DryRun) == 0) {
				t.Errorf("%s dry run deleted %s", dry, a.GetResource().Resource)
			}
		}
		want := map[DryRun]string{DryRunClient: "ingress.networking.k8s.io/headlamp would be pruned\n",
			DryRunServer: "ingress.networking.k8s.io/headlamp pruned (server dry run)\n"}[dry]
		if len(res.Pruned) != 1 || !strings.Contains(progress.String(), want) {
			t.Errorf("%s dry run: pruned %v, progress:\n%s", dry, res.Pruned, progress.String())
		}
	}
}

// A user who may not list a kind still gets an install that was applied, and a warning.
func TestInstallPruneForbiddenListWarns(t *testing.T) {
	cs := healthyCluster(t)
	cs.PrependReactor("list", "ingresses", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "networking.k8s.io", Resource: "ingresses"}, "", nil)
	})
	res, err := Install(t.Context(), clients(cs), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "you may not list ingresses in namespace capsule-system") {
		t.Errorf("warnings %q", res.Warnings)
	}
}
