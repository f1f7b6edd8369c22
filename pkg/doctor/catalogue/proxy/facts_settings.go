package proxy

import (
	"context"
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// FactProxySettings are the ProxySetting and GlobalProxySettings objects that exist.
const FactProxySettings engine.Key[Settings] = "proxy-settings"

// settingsGroupVersion is the API of capsule-proxy's own CRDs.
var settingsGroupVersion = schema.GroupVersion{Group: "capsule.clastix.io", Version: "v1beta1"}

// Settings names the capsule-proxy settings objects, as namespace/name and name.
type Settings struct {
	// Legacy are the ProxySettings whose subjects carry proxySettings (operations on cluster-scoped
	// kinds), the part capsule-proxy drops under the ProxyClusterScoped gate.
	Legacy []string
	// Namespaced counts every ProxySetting.
	Namespaced int
	Global     []string
}

func settingsFact(env area.Env) engine.Fact {
	return engine.Define(FactProxySettings, nil, func(ctx context.Context, _ engine.Facts) (Settings, error) {
		var out Settings
		gvr := settingsGroupVersion.WithResource("proxysettings")
		list, err := env.Dynamic.Resource(gvr).Namespace(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
		if err != nil {
			return out, area.WrapAccess(area.Access{Verb: "list", Group: gvr.Group, Resource: gvr.Resource}, err)
		}
		out.Namespaced = len(list.Items)
		for _, item := range list.Items {
			if hasLegacyOperations(item) {
				out.Legacy = append(out.Legacy, item.GetNamespace()+"/"+item.GetName())
			}
		}
		gvr = settingsGroupVersion.WithResource("globalproxysettings")
		if list, err = env.Dynamic.Resource(gvr).List(ctx, metav1.ListOptions{}); err != nil {
			return out, area.WrapAccess(area.Access{Verb: "list", Group: gvr.Group, Resource: gvr.Resource}, err)
		}
		for _, item := range list.Items {
			out.Global = append(out.Global, item.GetName())
		}
		sort.Strings(out.Legacy)
		sort.Strings(out.Global)
		return out, nil
	})
}

// hasLegacyOperations tells whether a ProxySetting grants operations with spec.subjects[].proxySettings.
func hasLegacyOperations(obj unstructured.Unstructured) bool {
	subjects, _, _ := unstructured.NestedSlice(obj.Object, "spec", "subjects")
	for _, s := range subjects {
		if m, ok := s.(map[string]any); ok {
			if ops, ok := m["proxySettings"].([]any); ok && len(ops) > 0 {
				return true
			}
		}
	}
	return false
}
