package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/restmapper"
)

// Apply server-side applies every object of a multi-document YAML stream as cluster admin, with field
// manager "sandbox". Tests use it for their own fixtures.
func (s *Stack) Apply(ctx context.Context, manifest []byte) ([]*unstructured.Unstructured, error) {
	mapper := s.restMapper()
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for {
		obj := &unstructured.Unstructured{}
		if err := dec.Decode(&obj.Object); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return out, fmt.Errorf("decode manifest: %w", err)
		}
		if len(obj.Object) == 0 {
			continue
		}
		applied, err := s.applyOne(ctx, mapper, obj)
		if err != nil {
			return out, err
		}
		out = append(out, applied)
	}
}

func (s *Stack) applyOne(ctx context.Context, mapper meta.ResettableRESTMapper, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	gvk := obj.GroupVersionKind()
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) { // a CRD applied since discovery was cached
		mapper.Reset()
		m, err = mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", gvk, err)
	}
	ri := s.dyn.Resource(m.Resource)
	opts := metav1.ApplyOptions{FieldManager: "sandbox", Force: true}
	var applied *unstructured.Unstructured
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		applied, err = ri.Namespace(obj.GetNamespace()).Apply(ctx, obj.GetName(), obj, opts)
	} else {
		applied, err = ri.Apply(ctx, obj.GetName(), obj, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("apply %s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
	}
	return applied, nil
}

// restMapper is shared: discovery is the slow part of applying a manifest.
func (s *Stack) restMapper() meta.ResettableRESTMapper {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mapper == nil {
		s.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(s.kube.Discovery()))
	}
	return s.mapper
}
