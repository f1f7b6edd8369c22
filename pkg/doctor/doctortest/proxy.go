package doctortest

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
)

// HealthyProxyArgs are the capsule-proxy args of the healthy world: the user name from email, the claim
// the healthy AuthenticationConfiguration maps.
var HealthyProxyArgs = []string{"--enable-ssl=true", "--oidc-username-claim=email"}

// proxySettingsListKinds lets the fake dynamic client list capsule-proxy's CRDs with no object.
var proxySettingsListKinds = map[schema.GroupVersionResource]string{
	{Group: "capsule.clastix.io", Version: "v1beta1", Resource: "proxysettings"}:       "ProxySettingList",
	{Group: "capsule.clastix.io", Version: "v1beta1", Resource: "globalproxysettings"}: "GlobalProxySettingsList",
}

// proxyDeployment is capsule-proxy's Deployment, with the world's args.
func (w *World) proxyDeployment(ns string) *appsv1.Deployment {
	args := w.ProxyArgs
	if args == nil {
		args = HealthyProxyArgs
	}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: ns, Labels: ProxyLabels},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: ProxyLabels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: ProxyLabels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "capsule-proxy", Args: args}}},
			},
		},
	}
}

// resources maps the kinds whose plural the fake client's guess gets wrong.
var resources = map[string]string{"GlobalProxySettings": "globalproxysettings"}

// addDynamic adds objects to the fake dynamic client under their real resource names.
func addDynamic(t testing.TB, dyn *dynamicfake.FakeDynamicClient, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, obj := range objs {
		gvk := obj.GroupVersionKind()
		gvr, _ := meta.UnsafeGuessKindToResource(gvk)
		if r, ok := resources[gvk.Kind]; ok {
			gvr.Resource = r
		}
		if err := dyn.Tracker().Create(gvr, obj, obj.GetNamespace()); err != nil {
			t.Fatal(err)
		}
	}
}
