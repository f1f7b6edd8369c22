package headlamp

import (
	"context"
	"errors"
	"fmt"

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

// Resolve reads a Deployment like Parse and fills in the values kept in Secrets and ConfigMaps, the
// client secret included (returned apart, in Secrets). References that do not resolve are listed in
// the error; the Settings are as complete as they can be even then.
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
	return read(dep, fetch)
}

// ClusterGetter reads keys with a clientset.
func ClusterGetter(cs kubernetes.Interface) Getter { return clusterGetter{cs} }

type clusterGetter struct{ cs kubernetes.Interface }

func (g clusterGetter) Get(ctx context.Context, namespace string, ref KeyRef) (string, error) {
	var data map[string]string
	switch ref.Kind {
	case KindSecret:
		sec, err := g.cs.CoreV1().Secrets(namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			return "", notFound(err)
		}
		data = map[string]string{}
		for k, v := range sec.Data {
			data[k] = string(v)
		}
	case KindConfigMap:
		cm, err := g.cs.CoreV1().ConfigMaps(namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err != nil {
			return "", notFound(err)
		}
		data = cm.Data
	default:
		return "", fmt.Errorf("unknown kind %q", ref.Kind)
	}
	v, ok := data[ref.Key]
	if !ok {
		return "", fmt.Errorf("no key %q: %w", ref.Key, ErrNotFound)
	}
	return v, nil
}

func notFound(err error) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
