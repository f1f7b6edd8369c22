package install

import (
	"errors"
	"slices"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// The objects of the production options take their place in the write order: the NetworkPolicy
// before anything a pod reads, the tenants' Role and RoleBinding after the Deployment they lead to.
func TestWriteOrderOfTheProductionObjects(t *testing.T) {
	c := productionCluster(t)
	log := recordWrites(c.Kube.(*fake.Clientset), nil)
	if _, err := Install(t.Context(), c, productionOptions()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"patch serviceaccounts/headlamp",
		"patch networkpolicies/headlamp",
		"patch configmaps/headlamp-idp-ca",
		"patch configmaps/headlamp-oidc",
		"patch secrets/headlamp-oidc",
		"patch deployments/headlamp",
		"patch services/headlamp",
		// the HTTPRoute goes through the dynamic client here
		"patch roles/headlamp-tenant-access",
		"patch rolebindings/headlamp-tenant-access",
	}
	if got := log.all(); !slices.Equal(got, want) {
		t.Errorf("writes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A refusal of the last write of a fresh production install deletes every object it created, the
// HTTPRoute and the NetworkPolicy included, the last written first.
func TestFailedWriteOfAProductionInstallDeletesWhatItCreated(t *testing.T) {
	c := productionCluster(t)
	cs := c.Kube.(*fake.Clientset)
	before := stateOf(t, cs)
	refused := apierrors.NewForbidden(schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "rolebindings"},
		headlamp.TenantAccessName("headlamp"), errors.New("ValidatingAdmissionPolicy 'no-bindings' denied request"))
	recordWrites(cs, func(_ int, a k8stesting.Action) error {
		if a.GetResource().Resource == "rolebindings" && a.GetVerb() == "patch" {
			return refused
		}
		return nil
	})
	_, err := Install(t.Context(), c, productionOptions())
	var werr *WriteError
	if !errors.As(err, &werr) || len(werr.NotRestored) > 0 {
		t.Fatalf("err = %v, want a failed write with everything restored", err)
	}
	mustSay(t, "error", err.Error(), "apply rolebinding.rbac.authorization.k8s.io/headlamp-tenant-access failed",
		"the objects already written were restored: role.rbac.authorization.k8s.io/headlamp-tenant-access, httproute.gateway.networking.k8s.io/headlamp, "+
			"service/headlamp, deployment.apps/headlamp, secret/headlamp-oidc, configmap/headlamp-oidc, configmap/headlamp-idp-ca, "+
			"networkpolicy.networking.k8s.io/headlamp, serviceaccount/headlamp")
	if after := stateOf(t, cs); !mapsEqual(after, before) {
		t.Errorf("after the restore:\n%v\nbefore the install:\n%v", after, before)
	}
	ctx, ns := t.Context(), "capsule-system"
	if _, err := c.Dynamic.Resource(headlamp.HTTPRouteGVR).Namespace(ns).Get(ctx, "headlamp", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the HTTPRoute install created is still there: %v", err)
	}
	if _, err := cs.NetworkingV1().NetworkPolicies(ns).Get(ctx, "headlamp", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the NetworkPolicy install created is still there: %v", err)
	}
	if _, err := cs.RbacV1().Roles(ns).Get(ctx, headlamp.TenantAccessName("headlamp"), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the Role install created is still there: %v", err)
	}
}
