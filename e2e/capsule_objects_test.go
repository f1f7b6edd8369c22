package e2e

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// The Capsule and capsule-proxy kinds the doctor tests change.
var (
	capsuleConfigurations = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "capsuleconfigurations"}
	tenantOwners          = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "tenantowners"}
	globalProxySettings   = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta1", Resource: "globalproxysettings"}
)

// mergePatchUntilEnd merge-patches the cluster-scoped object name of gvr, and applies undo at cleanup.
func mergePatchUntilEnd(t *testing.T, gvr schema.GroupVersionResource, name, patch, undo string) {
	t.Helper()
	res := sb.Dynamic().Resource(gvr)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if _, err := res.Patch(ctx, name, types.MergePatchType, []byte(undo), metav1.PatchOptions{}); err != nil {
			t.Errorf("restore %s %s: %v", gvr.Resource, name, err)
		}
	})
	if _, err := res.Patch(t.Context(), name, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

// createUntilEnd creates the cluster-scoped obj of gvr, and deletes it at cleanup.
func createUntilEnd(t *testing.T, gvr schema.GroupVersionResource, obj *unstructured.Unstructured) {
	t.Helper()
	res := sb.Dynamic().Resource(gvr)
	if _, err := res.Create(t.Context(), obj, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := res.Delete(ctx, obj.GetName(), metav1.DeleteOptions{}); err != nil {
			t.Errorf("delete %s %s: %v", gvr.Resource, obj.GetName(), err)
		}
	})
}
