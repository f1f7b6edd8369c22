package stack

import (
	"context"
	"errors"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// RemoveProxyCRDs deletes capsule-proxy's CRDs (ProxySetting, GlobalProxySettings) and restarts the
// proxy stand-in, which then exits at start like the real one ("cannot create new Field Indexer: no
// matches for kind ...", in its pod's log) and keeps restarting: nothing serves on the proxy's port
// and its pod is not ready. It returns once the pod reports it. Restore installs the CRDs again and
// waits until the proxy serves and its Deployment is rolled out.
func (s *Stack) RemoveProxyCRDs(ctx context.Context) (Restore, error) {
	restore := func(ctx context.Context) error {
		docs, err := proxyCRDDocs()
		if err != nil {
			return err
		}
		if err := s.applyAndServe(ctx, docs); err != nil {
			return err
		}
		s.stopProxy()
		if err := s.startProxy(ctx); err != nil {
			return err
		}
		if err := s.proxyExited(); err != nil {
			return fmt.Errorf("capsule-proxy stand-in after restoring its CRDs: %w", err)
		}
		s.pokeRuntime()
		return s.waitFor(ctx, "capsule-proxy rolled out", func(ctx context.Context) error {
			return s.RolledOut(ctx, CapsuleNamespace, ProxyServiceName)
		})
	}
	docs, err := proxyCRDDocs()
	if err != nil {
		return restore, err
	}
	if err := s.deleteCRDs(ctx, docs); err != nil {
		return restore, err
	}
	s.restMapper().Reset()
	s.stopProxy()
	if err := s.startProxy(ctx); err != nil {
		return restore, err
	}
	return restore, s.waitFor(ctx, "capsule-proxy pod not ready", func(ctx context.Context) error {
		if err := s.RolledOut(ctx, CapsuleNamespace, ProxyServiceName); err == nil {
			return errors.New("the capsule-proxy Deployment still has every pod ready")
		}
		return nil
	})
}

func proxyCRDDocs() ([][]byte, error) {
	var docs [][]byte
	for _, f := range proxyCRDFiles {
		data, err := embeddedCRDs.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read CRD: %w", err)
		}
		docs = append(docs, data)
	}
	return docs, nil
}

// waitFor polls cond until it holds, for at most a minute.
func (s *Stack) waitFor(ctx context.Context, what string, cond func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var last error
	for {
		if last = cond(ctx); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// deleteCRDs deletes the CRDs of docs and waits until discovery no longer serves them, which is what
// the proxy reads at start.
func (s *Stack) deleteCRDs(ctx context.Context, docs [][]byte) error {
	for _, d := range docs {
		var crd struct {
			metav1.ObjectMeta `json:"metadata"`
			Spec              struct {
				Group string `json:"group"`
				Names struct {
					Plural string `json:"plural"`
				} `json:"names"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(d, &crd); err != nil {
			return fmt.Errorf("decode CRD: %w", err)
		}
		if err := s.dyn.Resource(crdGVR).Delete(ctx, crd.Name, metav1.DeleteOptions{}); ignoreNotFound(err) != nil {
			return fmt.Errorf("delete CRD %s: %w", crd.Name, err)
		}
		// Gone from discovery too, which is what the proxy reads at start.
		if err := s.waitFor(ctx, "CRD "+crd.Name+" gone", func(ctx context.Context) error {
			_, lists, err := s.kube.Discovery().ServerGroupsAndResources()
			if err != nil && len(lists) == 0 {
				return err
			}
			if discovered(lists, crd.Spec.Group+"/v1beta1", crd.Spec.Names.Plural) {
				return errors.New("still served")
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
