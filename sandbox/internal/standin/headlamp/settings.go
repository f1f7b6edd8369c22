package headlamp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Settings are the flag values a Headlamp container would run with, resolved from its Deployment.
type Settings struct {
	Namespace, Deployment string
	Flags                 map[string]string // flag name without dashes -> value
	Env                   map[string]string // resolved container environment
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

// Cluster is the in-cluster context name used in URLs.
func (s Settings) Cluster() string {
	if v := s.Get("in-cluster-context-name", ""); v != "" {
		return v
	}
	return "main"
}

// ErrNoDeployment means no Headlamp Deployment exists yet.
var ErrNoDeployment = errors.New("no Headlamp Deployment (label app.kubernetes.io/name=headlamp) in the cluster")

// Resolve reads the Headlamp Deployment at request time and resolves its container's env (literal,
// Secret and ConfigMap references) and args, the way the container would see them.
func Resolve(ctx context.Context, kube kubernetes.Interface) (Settings, error) {
	list, err := kube.AppsV1().Deployments("").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
	if err != nil {
		return Settings{}, fmt.Errorf("list Headlamp deployments: %w", err)
	}
	if len(list.Items) == 0 {
		return Settings{}, ErrNoDeployment
	}
	sort.Slice(list.Items, func(i, j int) bool {
		return list.Items[i].Namespace+"/"+list.Items[i].Name < list.Items[j].Namespace+"/"+list.Items[j].Name
	})
	d := &list.Items[0]
	c := container(d)
	env, err := resolveEnv(ctx, kube, d.Namespace, c.Env)
	if err != nil {
		return Settings{}, err
	}
	flags := map[string]string{}
	// Precedence as in Headlamp: defaults < HEADLAMP_CONFIG_* env < explicit flags.
	for k, v := range env {
		if name, ok := strings.CutPrefix(k, "HEADLAMP_CONFIG_"); ok {
			flags[strings.ReplaceAll(strings.ToLower(name), "_", "-")] = v
		}
	}
	args := append(append([]string{}, c.Command...), c.Args...)
	for k, v := range parseFlags(expandAll(args, env)) {
		flags[k] = v
	}
	return Settings{Namespace: d.Namespace, Deployment: d.Name, Flags: flags, Env: env}, nil
}

func container(d *appsv1.Deployment) corev1.Container {
	cs := d.Spec.Template.Spec.Containers
	for _, c := range cs {
		if c.Name == "headlamp" {
			return c
		}
	}
	if len(cs) == 0 {
		return corev1.Container{}
	}
	return cs[0]
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
