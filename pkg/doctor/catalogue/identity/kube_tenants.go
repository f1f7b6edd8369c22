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
// lists none yet. It decodes the list from the answer one Tenant at a time, into the fields it reads:
// at 200 tenants the answer is 1 MB (each status lists the tenant's namespaces, each object carries
// its managed fields), which decoded whole into maps was most of what doctor itself spent in a run.
// TENANT-OWNED reads it only to explain why capsule-proxy lists the user no tenant.
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
	out := map[string][]rbacv1.Subject{}
	err = eachListItem(body, func(dec *json.Decoder) error {
		var t struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec   tenantOwners `json:"spec"`
			Status tenantOwners `json:"status"`
		}
		if err := dec.Decode(&t); err != nil {
			return err
		}
		owners := t.Status.subjects()
		if len(owners) == 0 {
			owners = t.Spec.subjects()
		}
		out[t.Metadata.Name] = owners
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the tenant list: %w", err)
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
