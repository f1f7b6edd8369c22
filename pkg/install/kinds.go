package install

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// kind is one kind of object install writes, with the calls preflight, apply, restore and uninstall
// need. create takes an object of the kind as get returned it.
type kind struct {
	singular, group, resource string
	get                       func(ctx context.Context, c Clients, ns, name string) (metav1.Object, error)
	list                      func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) ([]metav1.Object, error)
	watch                     func(ctx context.Context, c Clients, ns string, o metav1.ListOptions) (watch.Interface, error)
	del                       func(ctx context.Context, c Clients, ns, name string, o metav1.DeleteOptions) error
	apply                     func(ctx context.Context, c Clients, ns string, obj any, o metav1.ApplyOptions) (metav1.Object, error)
	create                    func(ctx context.Context, c Clients, ns string, obj metav1.Object, o metav1.CreateOptions) (metav1.Object, error)
	patch                     func(ctx context.Context, c Clients, ns, name string, pt types.PatchType, data []byte, o metav1.PatchOptions) (metav1.Object, error)
}

// ref names one object: "deployment.apps/headlamp", as kubectl prints it.
type ref struct {
	kind *kind
	name string
}

func (r ref) String() string { return r.kind.qualified() + "/" + r.name }

// qualified is the kind as kubectl prints it: "deployment.apps", "secret".
func (k *kind) qualified() string {
	if k.group == "" {
		return k.singular
	}
	return k.singular + "." + k.group
}

func (r ref) get(ctx context.Context, c Clients, ns string) (metav1.Object, error) {
	return r.kind.get(ctx, c, ns, r.name)
}

// ObjectRef names an object for reports.
type ObjectRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func (r ref) public() ObjectRef { return ObjectRef{Kind: r.kind.qualified(), Name: r.name} }

// String reads like "deployment.apps/headlamp".
func (r ObjectRef) String() string { return r.Kind + "/" + r.Name }

// objectNames lists the objects an installation with these settings consists of.
func objectNames(s headlamp.Settings) []ref {
	refs := []ref{
		{&serviceAccounts, s.ServiceAccount},
		{&configMaps, headlamp.ConfigMapName(s.Name)},
		{&secrets, headlamp.SecretName(s.Name)},
	}
	if s.OIDC.CA != nil {
		refs = append(refs, ref{&configMaps, headlamp.IDPCAConfigMapName(s.Name)})
	}
	if s.Namespace != s.Proxy.Namespace {
		refs = append(refs, ref{&configMaps, headlamp.ProxyCACopyName(s.Name)})
	}
	refs = append(refs, ref{&deployments, s.Name}, ref{&services, s.Name})
	if s.Ingress != nil {
		refs = append(refs, ref{&ingresses, s.Name})
	}
	if s.Gateway != nil {
		refs = append(refs, ref{&httpRoutes, s.Name})
	}
	if s.NetworkPolicy != nil {
		refs = append(refs, ref{&networkPolicies, s.Name})
	}
	if len(s.TenantAccess) > 0 {
		refs = append(refs, ref{&roles, headlamp.TenantAccessName(s.Name)}, ref{&roleBindings, headlamp.TenantAccessName(s.Name)})
	}
	return refs
}
