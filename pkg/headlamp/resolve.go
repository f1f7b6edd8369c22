package headlamp

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Secrets are the secret values of a deployment. Never print or log them.
type Secrets struct {
	ClientSecret string
}

// ErrNotFound marks a Secret, ConfigMap or key that does not exist.
var ErrNotFound = errors.New("not found")

// Getter reads Secret and ConfigMap keys in a namespace. It returns an error wrapping ErrNotFound
// when the object or the key does not exist.
type Getter interface {
	Get(ctx context.Context, namespace string, ref KeyRef) (string, error)
}

// KeyLister lists the keys of a Secret or ConfigMap (kind KindSecret or KindConfigMap), with an error
// wrapping ErrNotFound when it does not exist. A Getter that is also a KeyLister lets Resolve find the
// settings that reach Headlamp only through envFrom, whose variable names are the object's keys.
type KeyLister interface {
	Keys(ctx context.Context, namespace, kind, name string) ([]string, error)
}

// Resolve reads a Deployment like Parse and fills in the values kept in Secrets and ConfigMaps, the
// client secret included (returned apart, in Secrets), and, when g is a KeyLister, the
// HEADLAMP_CONFIG_* variables of envFrom sources. References that do not resolve are listed in the
// error; the Settings are as complete as they can be even then.
func Resolve(ctx context.Context, g Getter, dep *appsv1.Deployment) (Settings, Secrets, error) {
	cache := map[KeyRef]string{}
	fetch := func(ref KeyRef) (string, bool, error) {
		if v, ok := cache[ref]; ok {
			return v, true, nil
		}
		v, err := g.Get(ctx, dep.Namespace, ref)
		switch {
		case errors.Is(err, ErrNotFound):
			return "", false, nil
		case err != nil:
			return "", false, fmt.Errorf("read %s: %w", ref, err)
		}
		cache[ref] = v
		return v, true, nil
	}
	st := store{fetch: fetch}
	if kl, ok := g.(KeyLister); ok {
		st.keys = func(kind, name string) ([]string, bool, error) {
			keys, err := kl.Keys(ctx, dep.Namespace, kind, name)
			switch {
			case errors.Is(err, ErrNotFound):
				return nil, false, nil
			case err != nil:
				return nil, false, fmt.Errorf("list the keys of %s %s: %w", kind, name, err)
			}
			return keys, true, nil
		}
	}
	return read(dep, st)
}

// ClusterGetter reads keys with a clientset.
func ClusterGetter(cs kubernetes.Interface) Getter { return clusterGetter{cs} }

type clusterGetter struct{ cs kubernetes.Interface }

func (g clusterGetter) Get(ctx context.Context, namespace string, ref KeyRef) (string, error) {
	data, err := g.data(ctx, namespace, ref.Kind, ref.Name)
	if err != nil {
		return "", err
	}
	v, ok := data[ref.Key]
	if !ok {
		return "", fmt.Errorf("no key %q: %w", ref.Key, ErrNotFound)
	}
	return v, nil
}

// Keys lists the keys of a Secret or ConfigMap, sorted.
func (g clusterGetter) Keys(ctx context.Context, namespace, kind, name string) ([]string, error) {
	data, err := g.data(ctx, namespace, kind, name)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(data)), nil
}

// data reads the whole data of a Secret or ConfigMap.
func (g clusterGetter) data(ctx context.Context, namespace, kind, name string) (map[string]string, error) {
	switch kind {
	case KindSecret:
		sec, err := g.cs.CoreV1().Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil, notFound(err)
		}
		data := map[string]string{}
		for k, v := range sec.Data {
			data[k] = string(v)
		}
		return data, nil
	case KindConfigMap:
		cm, err := g.cs.CoreV1().ConfigMaps(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil, notFound(err)
		}
		return cm.Data, nil
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

func notFound(err error) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
