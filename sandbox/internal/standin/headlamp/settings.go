package headlamp

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Settings are the flag values a Headlamp container runs with, resolved from its pod when it starts.
type Settings struct {
	Flags map[string]string // flag name without dashes -> value
	Env   map[string]string // resolved container environment
}

// Get returns a flag's value, or def when unset.
func (s Settings) Get(flag, def string) string {
	if v, ok := s.Flags[flag]; ok {
		return v
	}
	return def
}

// OIDC reports whether in-cluster OIDC is on: Headlamp needs client id, issuer and scopes.
func (s Settings) OIDC() bool {
	return s.Get("oidc-client-id", "") != "" && s.Get("oidc-idp-issuer-url", "") != "" && s.Scopes() != ""
}

// Scopes is the comma-separated scope list (Headlamp's default is "profile,email").
func (s Settings) Scopes() string { return s.Get("oidc-scopes", "profile,email") }

// RequestScopes are the scopes Headlamp asks the IdP for: -oidc-scopes split on commas, with
// "openid" first. Elements are kept as written (the OAuth2 library joins them with spaces, so
// "profile email" in one element reaches the IdP like two).
func (s Settings) RequestScopes() []string {
	return append([]string{"openid"}, strings.Split(s.Scopes(), ",")...)
}

// InCluster reports -in-cluster.
func (s Settings) InCluster() bool { return s.Get("in-cluster", "false") == "true" }

// Cluster is the in-cluster context name used in URLs.
func (s Settings) Cluster() string {
	if v := s.Get("in-cluster-context-name", ""); v != "" {
		return v
	}
	return "main"
}

// resolve reads a container's settings the way Headlamp sees them when the container starts: its
// env (literal, Secret and ConfigMap references, resolved now and kept) over the kubelet's defaults,
// and its command and args, with Headlamp's precedence: defaults < HEADLAMP_CONFIG_* env < flags.
func resolve(ctx context.Context, kube kubernetes.Interface, ns string, c corev1.Container, defaults map[string]string) (Settings, error) {
	env, err := resolveEnv(ctx, kube, ns, c.Env)
	if err != nil {
		return Settings{}, err
	}
	for k, v := range defaults {
		if _, ok := env[k]; !ok {
			env[k] = v
		}
	}
	flags := map[string]string{}
	for k, v := range env {
		if name, ok := strings.CutPrefix(k, "HEADLAMP_CONFIG_"); ok {
			flags[strings.ReplaceAll(strings.ToLower(name), "_", "-")] = v
		}
	}
	args := append(append([]string{}, c.Command...), c.Args...)
	for k, v := range parseFlags(expandAll(args, env)) {
		flags[k] = v
	}
	return Settings{Flags: flags, Env: env}, nil
}

func resolveEnv(ctx context.Context, kube kubernetes.Interface, ns string, vars []corev1.EnvVar) (map[string]string, error) {
	env := map[string]string{}
	for _, v := range vars {
		switch {
		case v.ValueFrom == nil:
			env[v.Name] = expand(v.Value, env)
		case v.ValueFrom.SecretKeyRef != nil:
			ref := v.ValueFrom.SecretKeyRef
			sec, err := kube.CoreV1().Secrets(ns).Get(ctx, ref.Name, metav1.GetOptions{})
			if err != nil {
				if ref.Optional != nil && *ref.Optional {
					continue
				}
				return nil, fmt.Errorf("env %s: read secret %s/%s: %w", v.Name, ns, ref.Name, err)
			}
			if val, ok := sec.Data[ref.Key]; ok {
				env[v.Name] = string(val)
			}
		case v.ValueFrom.ConfigMapKeyRef != nil:
			ref := v.ValueFrom.ConfigMapKeyRef
			cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, ref.Name, metav1.GetOptions{})
			if err != nil {
				if ref.Optional != nil && *ref.Optional {
					continue
				}
				return nil, fmt.Errorf("env %s: read configmap %s/%s: %w", v.Name, ns, ref.Name, err)
			}
			if val, ok := cm.Data[ref.Key]; ok {
				env[v.Name] = val
			}
		}
	}
	return env, nil
}

// expand replaces $(VAR) with defined variables, like the kubelet does for env and args; undefined
// references stay as they are.
func expand(s string, env map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "$(")
		j := strings.Index(s[max(i, 0):], ")")
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		ref := s[i : i+j+1]
		if v, ok := env[ref[2:len(ref)-1]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(ref)
		}
		s = s[i+j+1:]
	}
}

func expandAll(in []string, env map[string]string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = expand(s, env)
	}
	return out
}
