package identity

import (
	"context"
	"encoding/json"
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
)

// TenantOwners lists every Tenant's spec.owners. It decodes the list straight from the answer into
// the two fields it reads: a Tenant's status lists each of its namespaces, so at hundreds of tenants
// decoding whole objects into maps was most of what doctor itself spent in a run.
func (k *KubeCluster) TenantOwners(ctx context.Context) (map[string][]rbacv1.Subject, error) {
	cfg := rest.CopyConfig(k.Base)
	cfg.APIPath, cfg.GroupVersion = "/apis", &capsule.GroupVersion
	cfg.NegotiatedSerializer = scheme.Codecs.WithoutConversion()
	rc, err := rest.RESTClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("build a client for Capsule's API: %w", err)
	}
	body, err := rc.Get().Resource(capsuleTenants.Resource).Stream(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	defer func() { _ = body.Close() }()
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec struct {
				Owners []struct {
					Kind string `json:"kind"`
					Name string `json:"name"`
				} `json:"owners"`
			} `json:"spec"`
		} `json:"items"`
	}
	if err := json.NewDecoder(body).Decode(&list); err != nil {
		return nil, fmt.Errorf("read the tenant list: %w", err)
	}
	out := make(map[string][]rbacv1.Subject, len(list.Items))
	for _, t := range list.Items {
		var owners []rbacv1.Subject
		for _, o := range t.Spec.Owners {
			if o.Name != "" {
				owners = append(owners, rbacv1.Subject{Kind: o.Kind, Name: o.Name})
			}
		}
		out[t.Metadata.Name] = owners
	}
	return out, nil
}
