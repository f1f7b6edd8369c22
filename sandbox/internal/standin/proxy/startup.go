package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
)

// indexedKinds are the capsule-proxy kinds its manager indexes at start, in that order: without their
// CRDs the manager cannot create the field indexers and the process exits.
var indexedKinds = []schema.GroupVersionKind{
	{Group: "capsule.clastix.io", Version: "v1beta1", Kind: "ProxySetting"},
	{Group: "capsule.clastix.io", Version: "v1beta1", Kind: "GlobalProxySettings"},
}

// checkKinds returns the error the real proxy exits with when the API server does not serve one of
// its kinds: controller-runtime's "no matches for kind" error.
func checkKinds(d discovery.DiscoveryInterface) error {
	served := map[schema.GroupVersion][]string{}
	for _, gvk := range indexedKinds {
		gv := gvk.GroupVersion()
		if _, ok := served[gv]; !ok {
			list, err := d.ServerResourcesForGroupVersion(gv.String())
			if err != nil && !apierrors.IsNotFound(err) {
				return fmt.Errorf("discover %s: %w", gv, err)
			}
			served[gv] = []string{}
			if list != nil {
				for _, r := range list.APIResources {
					served[gv] = append(served[gv], r.Kind)
				}
			}
		}
		if !slices.Contains(served[gv], gvk.Kind) {
			return &meta.NoKindMatchError{GroupKind: gvk.GroupKind(), SearchedVersions: []string{gvk.Version}}
		}
	}
	return nil
}

// logError writes one log entry the way capsule-proxy's logger (controller-runtime's zap, JSON) does.
func logError(w io.Writer, msg string, err error) {
	if w == nil {
		return
	}
	b, _ := json.Marshal(struct {
		Level string `json:"level"`
		TS    string `json:"ts"`
		Msg   string `json:"msg"`
		Error string `json:"error"`
	}{"error", time.Now().UTC().Format(time.RFC3339), msg, err.Error()})
	_, _ = w.Write(append(b, '\n'))
}

// logInfo writes an info entry in the same format.
func logInfo(w io.Writer, msg string) {
	if w == nil {
		return
	}
	b, _ := json.Marshal(struct {
		Level string `json:"level"`
		TS    string `json:"ts"`
		Msg   string `json:"msg"`
	}{"info", time.Now().UTC().Format(time.RFC3339), msg})
	_, _ = w.Write(append(b, '\n'))
}
