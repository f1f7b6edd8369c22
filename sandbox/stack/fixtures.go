package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	crdGVR    = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	tenantGVR = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "tenants"}
)

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

// applyCRDs installs Capsule's CRDs from the module zip and waits until they are served.
func (s *Stack) applyCRDs(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(s.bins["capsule"], "crds", "*.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no Capsule CRDs in %s: remove that folder to rebuild it", s.bins["capsule"])
	}
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read CRD: %w", err)
		}
		objs, err := s.Apply(ctx, data)
		if err != nil {
			return err
		}
		for _, o := range objs {
			names = append(names, o.GetName())
		}
	}
	for _, n := range names {
		if err := s.waitEstablished(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (s *Stack) waitEstablished(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		crd, err := s.dyn.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			conds, _, _ := unstructuredSlice(crd.Object, "status", "conditions")
			for _, c := range conds {
				if m, ok := c.(map[string]any); ok && m["type"] == "Established" && m["status"] == "True" {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("CRD %s not established: %w", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
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

func unstructuredSlice(obj map[string]any, path ...string) ([]any, bool, error) {
	cur := any(obj)
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false, nil
		}
		cur = m[p]
	}
	sl, ok := cur.([]any)
	return sl, ok, nil
}

// ignoreNotFound treats a missing object as success.
func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
