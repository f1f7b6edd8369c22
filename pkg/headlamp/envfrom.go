package headlamp

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// defineEnvFrom defines the variables of the container's envFrom sources the way the kubelet does,
// before the env entries: every key of the referenced Secret or ConfigMap, behind the source's prefix,
// a later source overriding an earlier one. The names come from the object's keys, so they are known
// only while resolving with a Getter that lists keys; parsing leaves them to lookup, which still finds
// one that an argument references by name.
func (e *environ) defineEnvFrom() {
	if e.keys == nil {
		return
	}
	for _, src := range e.envFrom {
		kind, name, optional := envFromSource(src)
		if kind == "" {
			continue
		}
		keys, found, err := e.keys(kind, name)
		switch {
		case err != nil:
			e.errs = append(e.errs, err)
			continue
		case !found && !optional:
			// The kubelet does not start the pod: the variables stay undefined.
			e.errs = append(e.errs, fmt.Errorf("envFrom %s %s: %w", kind, name, ErrNotFound))
			continue
		}
		for _, key := range keys {
			val := e.read(KeyRef{Kind: kind, Name: name, Key: key})
			val.vars = []string{src.Prefix + key}
			e.set(src.Prefix+key, val)
		}
	}
}

// envFromSource names the Secret or ConfigMap an envFrom source reads; kind is empty for any other.
func envFromSource(src corev1.EnvFromSource) (kind, name string, optional bool) {
	switch {
	case src.SecretRef != nil:
		return KindSecret, src.SecretRef.Name, src.SecretRef.Optional != nil && *src.SecretRef.Optional
	case src.ConfigMapRef != nil:
		return KindConfigMap, src.ConfigMapRef.Name, src.ConfigMapRef.Optional != nil && *src.ConfigMapRef.Optional
	}
	return "", "", false
}
