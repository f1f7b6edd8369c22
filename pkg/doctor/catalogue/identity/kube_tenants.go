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

// TenantOwners lists every Tenant's owners as capsule-proxy reads them: status.owners, which the
// Capsule controller fills from spec.owners and the TenantOwner objects that match the Tenant (the
// proxy indexes Tenants by it: internal/indexer/tenant_owner.go), or spec.owners while the status
// lists none yet. It decodes the list straight from the answer into the fields it reads: a Tenant's
// status lists each of its namespaces, so at hundreds of tenants decoding whole objects into maps was
// most of what doctor itself spent in a run.
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
			Spec   tenantOwners `json:"spec"`
			Status tenantOwners `json:"status"`
		} `json:"items"`
	}
	if err := json.NewDecoder(body).Decode(&list); err != nil {
		return nil, fmt.Errorf("read the tenant list: %w", err)
	}
	out := make(map[string][]rbacv1.Subject, len(list.Items))
	for _, t := range list.Items {
		owners := t.Status.subjects()
		if len(owners) == 0 {
			owners = t.Spec.subjects()
		}
		out[t.Metadata.Name] = owners
	}
	return out, nil
}

// tenantOwners is the owners list of a Tenant's spec or status.
type tenantOwners struct {
	Owners []struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"owners"`
}

// subjects are the owners that name someone.
func (o tenantOwners) subjects() []rbacv1.Subject {
	var out []rbacv1.Subject
	for _, x := range o.Owners {
		if x.Name != "" {
			out = append(out, rbacv1.Subject{Kind: x.Kind, Name: x.Name})
		}
	}
	return out
}
