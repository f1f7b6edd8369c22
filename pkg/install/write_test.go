package install

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// withIDPCA are options that also write the IdP CA ConfigMap.
func withIDPCA(t *testing.T) Options {
	opts := testOptions()
	opts.Settings.OIDC.CA = headlamp.NewIDPCA(opts.Settings.Name, headlamp.TrustAppend)
	opts.IDPCA = goodPKI(t).caPEM
	return opts
}

func TestWriteOrderNeverStartsHeadlampWithAMix(t *testing.T) {
	cs := healthyCluster(t)
	log := recordWrites(cs, nil)
	if _, err := Install(t.Context(), clients(cs), withIDPCA(t)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"patch serviceaccounts/headlamp",
		"patch configmaps/headlamp-idp-ca",
		"patch configmaps/headlamp-oidc",
		"patch secrets/headlamp-oidc", // last of what the pod reads at start, right before the Deployment
		"patch deployments/headlamp",
		"patch services/headlamp", // what exposes it, once the Deployment is written
	}
	if got := log.all(); !slices.Equal(got, want) {
		t.Errorf("writes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestDryRunRefusalWritesNothing(t *testing.T) {
	cs := healthyCluster(t)
	tooLarge := apierrors.NewRequestEntityTooLargeError("limit is 3145728")
	honourDryRun(cs, func(a k8stesting.Action) error {
		if a.GetResource().Resource == "configmaps" && a.(k8stesting.PatchActionImpl).GetName() == "headlamp-idp-ca" {
			return tooLarge
		}
		return nil
	})
	log := recordWrites(cs, nil)
	_, err := Install(t.Context(), clients(cs), withIDPCA(t))
	var refused *DryRunError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want a refusal of the dry run", err)
	}
	mustSay(t, "error", err.Error(), "nothing was changed", "configmap/headlamp-idp-ca", "limit is 3145728", "--oidc-ca-file")
	if len(refused.Problems) != 1 {
		t.Errorf("problems %+v, want the one refused object", refused.Problems)
	}
	if w := log.all(); len(w) > 0 {
		t.Errorf("a refusal in the dry run still wrote %v", w)
	}
}

// installed returns a cluster with Headlamp installed by opts, and the data of the objects Headlamp
// reads, to compare with after a failed install.
func installed(t *testing.T, opts Options) (*fake.Clientset, map[string]string) {
	t.Helper()
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	return cs, stateOf(t, cs)
}

// stateOf is what decides how Headlamp runs: the data of its ConfigMaps and Secret and its pod
// template, by object.
func stateOf(t *testing.T, cs *fake.Clientset) map[string]string {
	t.Helper()
	ctx, ns, state := t.Context(), "capsule-system", map[string]string{}
	cms, _ := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{})
	for _, cm := range cms.Items {
		state["configmap/"+cm.Name] = short(fmtData(cm.Data))
	}
	secrets, _ := cs.CoreV1().Secrets(ns).List(ctx, metav1.ListOptions{})
	for _, s := range secrets.Items {
		data := map[string]string{}
		for k, v := range s.Data {
			data[k] = string(v)
		}
		state["secret/"+s.Name] = short(fmtData(data))
	}
	deps, _ := cs.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
	for _, d := range deps.Items {
		state["deployment/"+d.Name] = fmt.Sprintf("%x", sha256.Sum256([]byte(d.Spec.Template.String())))[:12]
	}
	return state
}

// short keeps long values readable in a failure message.
func short(s string) string {
	if len(s) <= 60 {
		return s
	}
	return fmt.Sprintf("%s...(%x)", s[:20], sha256.Sum256([]byte(s)))[:40]
}

func fmtData(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k+"="+m[k])
	}
	slices.Sort(keys)
	return strings.Join(keys, ";")
}

func TestFailedWriteRestoresWhatWasWritten(t *testing.T) {
	cs, before := installed(t, withIDPCA(t))
	refused := apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "headlamp",
		errors.New("ValidatingAdmissionPolicy 'no-updates' denied request"))
	recordWrites(cs, func(_ int, a k8stesting.Action) error {
		if a.GetResource().Resource == "deployments" && a.GetVerb() == "patch" {
			return refused
		}
		return nil
	})
	opts := withIDPCA(t)
	opts.ClientSecret, opts.IDPCA = "a new secret", newPKI(t, "idp").caPEM
	_, err := Install(t.Context(), clients(cs), opts)
	var werr *WriteError
	if !errors.As(err, &werr) {
		t.Fatalf("err = %v, want a failed write", err)
	}
	mustSay(t, "error", err.Error(), "apply deployment.apps/headlamp failed", "denied request",
		"the objects already written were restored: secret/headlamp-oidc, configmap/headlamp-idp-ca")
	if after := stateOf(t, cs); !mapsEqual(after, before) {
		t.Errorf("after the restore:\n%v\nbefore the install:\n%v", after, before)
	}
}

func TestFailedWriteOfAFreshInstallDeletesWhatItCreated(t *testing.T) {
	for n := 1; n <= 5; n++ {
		cs := healthyCluster(t)
		before := stateOf(t, cs)
		recordWrites(cs, func(i int, a k8stesting.Action) error {
			if i == n {
				return apierrors.NewInternalError(errors.New("etcd went away"))
			}
			return nil
		})
		_, err := Install(t.Context(), clients(cs), withIDPCA(t))
		var werr *WriteError
		if !errors.As(err, &werr) {
			t.Fatalf("write %d failing: err = %v, want a failed write", n, err)
		}
		if len(werr.NotRestored) > 0 || len(werr.Restored) != n-1 {
			t.Errorf("write %d failing: restored %v, not restored %v", n, werr.Restored, werr.NotRestored)
		}
		if after := stateOf(t, cs); !mapsEqual(after, before) {
			t.Errorf("write %d failing left %v, the cluster held %v", n, after, before)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestFailedWriteAfterATakeOverCreatesTheOtherToolsObjectsAgain(t *testing.T) {
	objs := append([]runtime.Object{namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey)}, chartObjects()...)
	cs := cluster(nil, objs...)
	recordWrites(cs, func(_ int, a k8stesting.Action) error {
		if a.GetResource().Resource == "deployments" && a.GetVerb() == "patch" {
			return apierrors.NewInternalError(errors.New("etcd went away"))
		}
		return nil
	})
	opts := testOptions()
	opts.ForceConflicts = true
	_, err := Install(t.Context(), clients(cs), opts)
	var werr *WriteError
	if !errors.As(err, &werr) || len(werr.NotRestored) > 0 {
		t.Fatalf("err = %v, want a failed write with everything restored", err)
	}
	mustSay(t, "error", err.Error(), "deployment.apps/headlamp", "service/headlamp", "serviceaccount/headlamp")
	dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the chart's Deployment is gone: %v", err)
	}
	if dep.Labels[headlamp.LabelManagedBy] != headlamp.ManagedByHelm || dep.Spec.Template.Spec.Containers[0].Env[0].Value != "chart-literal-secret" {
		t.Errorf("the Deployment is not the chart's again: %v", dep.Labels)
	}
	for _, get := range []func() (metav1.Object, error){
		func() (metav1.Object, error) {
			return object(cs.CoreV1().Services("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{}))
		},
		func() (metav1.Object, error) {
			return object(cs.CoreV1().ServiceAccounts("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{}))
		},
	} {
		obj, err := get()
		if err != nil || !strings.HasPrefix(headlamp.OwnerOf(obj).HelmRelease, "headlamp") {
			t.Errorf("not the chart's again: %v %v", err, obj)
		}
	}
	for _, name := range []string{"headlamp-oidc"} {
		if _, err := cs.CoreV1().Secrets("capsule-system").Get(t.Context(), name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("secret/%s install created is still there: %v", name, err)
		}
	}
}
