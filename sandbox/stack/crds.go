package stack

import (
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// embeddedCRDs are the CRDs the sandbox writes itself: capsule-proxy's (its chart is not in any module
// the sandbox builds) and the KWOK kinds it enables per pod.
//
//go:embed crds/*.yaml
var embeddedCRDs embed.FS

// Files of embeddedCRDs.
const (
	crdProxySettings       = "crds/capsule-proxy-proxysettings.yaml"
	crdGlobalProxySettings = "crds/capsule-proxy-globalproxysettings.yaml"
	crdKwokPortForwards    = "crds/kwok-portforwards.yaml"
	crdKwokLogs            = "crds/kwok-logs.yaml"
)

// proxyCRDFiles are the CRDs a capsule-proxy install brings.
var proxyCRDFiles = []string{crdProxySettings, crdGlobalProxySettings}

// applyCRDs installs Capsule's CRDs from the module zip, capsule-proxy's and KWOK's, and waits until
// discovery serves them.
func (s *Stack) applyCRDs(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(s.bins["capsule"], "crds", "*.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no Capsule CRDs in %s: remove that folder to rebuild it", s.bins["capsule"])
	}
	var docs [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read CRD: %w", err)
		}
		docs = append(docs, data)
	}
	for _, f := range append(slices.Clone(proxyCRDFiles), crdKwokPortForwards, crdKwokLogs) {
		data, err := embeddedCRDs.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read CRD: %w", err)
		}
		docs = append(docs, data)
	}
	return s.applyAndServe(ctx, docs)
}

// applyAndServe applies CRD manifests and waits until discovery serves every one.
func (s *Stack) applyAndServe(ctx context.Context, docs [][]byte) error {
	var names []string
	for _, data := range docs {
		objs, err := s.Apply(ctx, data)
		if err != nil {
			return err
		}
		for _, o := range objs {
			names = append(names, o.GetName())
		}
	}
	for _, n := range names {
		if err := s.waitServed(ctx, n); err != nil {
			return err
		}
	}
	// The shared mapper may have cached discovery from before the CRDs.
	s.restMapper().Reset()
	return nil
}

// waitServed waits until a CRD is Established and discovery lists its resource in every served
// version. Established alone is not enough: the API server updates its discovery documents a moment
// later, and a mapper reset in between answers "no matches for kind Tenant in version
// capsule.clastix.io/v1beta2" (the start-up flake this wait removes).
func (s *Stack) waitServed(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var last error
	for {
		if last = s.crdServed(ctx, name); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("CRD %s not served: %w", name, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Stack) crdServed(ctx context.Context, name string) error {
	crd, err := s.dyn.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	if !slices.ContainsFunc(conds, func(c any) bool {
		m, ok := c.(map[string]any)
		return ok && m["type"] == "Established" && m["status"] == "True"
	}) {
		return fmt.Errorf("not established yet")
	}
	// The same (aggregated) discovery the REST mapper reads.
	_, lists, err := s.kube.Discovery().ServerGroupsAndResources()
	if err != nil && len(lists) == 0 {
		return fmt.Errorf("discovery: %w", err)
	}
	group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
	plural, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "plural")
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	for _, v := range versions {
		m, _ := v.(map[string]any)
		if served, _ := m["served"].(bool); served && !discovered(lists, group+"/"+fmt.Sprint(m["name"]), plural) {
			return fmt.Errorf("discovery does not list %s in %s/%v yet", plural, group, m["name"])
		}
	}
	return nil
}

func discovered(lists []*metav1.APIResourceList, groupVersion, resource string) bool {
	return slices.ContainsFunc(lists, func(l *metav1.APIResourceList) bool {
		return l.GroupVersion == groupVersion &&
			slices.ContainsFunc(l.APIResources, func(r metav1.APIResource) bool { return r.Name == resource })
	})
}
