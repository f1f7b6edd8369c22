package headlamp

import (
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// value is an environment variable or argument value as far as it can be known without (Parse) or
// with (Resolve) reading Secrets and ConfigMaps.
type value struct {
	s     string
	known bool
	// refs are the Secret and ConfigMap keys the value depends on, for Sources.
	refs []KeyRef
	// vars are the variables the value was read through, for Sources.
	vars []string
	// notWanted is set when the store was told not to read the value (ResolveOnly).
	notWanted bool
}

// fetchFunc reads a Secret or ConfigMap key; found is false when the object or key does not exist.
// It is nil while parsing, which leaves such values unknown.
type fetchFunc func(ref KeyRef) (s string, found bool, err error)

// keysFunc lists the keys of a Secret or ConfigMap; found is false when the object does not exist.
// It is nil while parsing, and when the Getter cannot list keys.
type keysFunc func(kind, name string) (keys []string, found bool, err error)

// store is where values kept in Secrets and ConfigMaps are read from; empty while parsing.
type store struct {
	fetch fetchFunc
	keys  keysFunc
}

// environ is a container's environment as the kubelet builds it: envFrom sources first, then env
// entries in order, each literal expanded with the variables defined before it.
type environ struct {
	vars map[string]value
	// order lists the names in vars in the order they were first defined.
	order   []string
	envFrom []corev1.EnvFromSource
	store
	errs []error
}

func newEnviron(c corev1.Container, st store) *environ {
	e := &environ{vars: map[string]value{}, envFrom: c.EnvFrom, store: st}
	e.defineEnvFrom()
	for _, v := range c.Env {
		e.set(v.Name, e.define(v))
	}
	return e
}

// set defines a variable; a later definition overrides an earlier one, as in the kubelet.
func (e *environ) set(name string, val value) {
	if _, ok := e.vars[name]; !ok {
		e.order = append(e.order, name)
	}
	e.vars[name] = val
}

func (e *environ) define(v corev1.EnvVar) value {
	var val value
	switch src := v.ValueFrom; {
	case src == nil:
		val = e.expand(v.Value)
	case src.SecretKeyRef != nil:
		ref := KeyRef{Kind: KindSecret, Name: src.SecretKeyRef.Name, Key: src.SecretKeyRef.Key}
		val = e.require(v.Name, ref, src.SecretKeyRef.Optional)
	case src.ConfigMapKeyRef != nil:
		ref := KeyRef{Kind: KindConfigMap, Name: src.ConfigMapKeyRef.Name, Key: src.ConfigMapKeyRef.Key}
		val = e.require(v.Name, ref, src.ConfigMapKeyRef.Optional)
	default: // downward API: only the kubelet knows
	}
	val.vars = append([]string{v.Name}, val.vars...)
	return val
}

// require reads a valueFrom key; a missing one keeps the pod from starting unless it is optional.
func (e *environ) require(name string, ref KeyRef, optional *bool) value {
	val := e.read(ref)
	if e.fetch != nil && !val.known && !val.notWanted && (optional == nil || !*optional) {
		e.errs = append(e.errs, fmt.Errorf("env %s: %s: %w", name, ref, ErrNotFound))
	}
	return val
}

// read fetches the first of refs that exists, when a fetcher is set.
func (e *environ) read(refs ...KeyRef) value {
	val := value{refs: refs}
	if e.fetch == nil {
		return val
	}
	for _, ref := range refs {
		s, found, err := e.fetch(ref)
		if errors.Is(err, errNotWanted) {
			val.notWanted = true
			return val
		}
		if err != nil {
			e.errs = append(e.errs, err)
			return val
		}
		if found {
			return value{s: s, known: true, refs: []KeyRef{ref}}
		}
	}
	return val
}

// lookup returns a variable; variables not set by env may come from an envFrom source (the last
// one that has the key wins, as in the kubelet).
func (e *environ) lookup(name string) (value, bool) {
	if v, ok := e.vars[name]; ok {
		return v, true
	}
	var candidates []KeyRef
	for i := len(e.envFrom) - 1; i >= 0; i-- {
		src := e.envFrom[i]
		key, ok := strings.CutPrefix(name, src.Prefix)
		if kind, obj, _ := envFromSource(src); ok && kind != "" {
			candidates = append(candidates, KeyRef{Kind: kind, Name: obj, Key: key})
		}
	}
	if len(candidates) == 0 {
		return value{}, false
	}
	v := e.read(candidates...)
	if e.fetch != nil && !v.known {
		return value{}, false
	}
	v.vars = []string{name}
	return v, true
}

// expand replaces $(VAR) references like the kubelet: $$ is a literal $, and a reference to an
// undefined variable stays as written.
func (e *environ) expand(s string) value {
	out := value{known: true}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '(' && strings.IndexByte(s[i+2:], ')') >= 0:
			end := i + 2 + strings.IndexByte(s[i+2:], ')')
			name := s[i+2 : end]
			v, ok := e.lookup(name)
			if !ok {
				b.WriteString(s[i : end+1])
			} else {
				b.WriteString(v.s)
				out.known = out.known && v.known
				out.refs = append(out.refs, v.refs...)
				out.vars = append(out.vars, v.vars...)
			}
			i = end
		default:
			b.WriteByte('$')
		}
	}
	out.s = b.String()
	return out
}
