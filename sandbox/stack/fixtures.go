package stack

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var tenantGVR = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "tenants"}

// applyFixtures creates what the sandbox's cluster holds before the controllers start.
func (s *Stack) applyFixtures(ctx context.Context) error {
	if _, err := s.Apply(ctx, []byte(fakeNode)); err != nil {
		return err
	}
	if err := s.applyCRDs(ctx); err != nil {
		return err
	}
	if _, err := s.Apply(ctx, []byte(capsuleObjects)); err != nil {
		return err
	}
	if err := s.applyTenantNamespaces(ctx); err != nil {
		return err
	}
	return s.applyProxyObjects(ctx)
}

// applyTenantNamespaces creates tenant-a's namespaces the way Capsule's (unwired) mutating webhook
// would leave them: an ownerReference to the Tenant and the tenant label.
func (s *Stack) applyTenantNamespaces(ctx context.Context) error {
	t, err := s.dyn.Resource(tenantGVR).Get(ctx, TenantName, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("read tenant %s: %w", TenantName, err)
	}
	for _, ns := range TenantNamespaces {
		if _, err := s.Apply(ctx, []byte(tenantNamespace(ns, string(t.GetUID())))); err != nil {
			return err
		}
	}
	return nil
}

// ignoreNotFound treats a missing object as success.
func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
