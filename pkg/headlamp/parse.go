package headlamp

import (
	"errors"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// Parse reads a Headlamp Deployment, ours or the official chart's, into Settings, and records in
// Settings.Sources where each setting comes from. It reads args (-flag=value, --flag value),
// HEADLAMP_CONFIG_* variables and the chart's $(OIDC_*) references the way the kubelet expands them.
// Values kept in Secrets or ConfigMaps stay empty, with their Source naming the key: Resolve reads
// them. Parse never returns the client secret, even when it is written into the Deployment.
func Parse(dep *appsv1.Deployment) (Settings, error) {
	s, _, err := read(dep, store{})
	return s, err
}

// reading collects Settings and Secrets while a Deployment is read.
type reading struct {
	s       Settings
	secrets Secrets
	env     *environ
	pod     *corev1.PodSpec
	c       *corev1.Container
	errs    []error
}

func read(dep *appsv1.Deployment, st store) (Settings, Secrets, error) {
	c := headlampContainer(dep.Spec.Template.Spec.Containers)
	if c == nil {
		return Settings{}, Secrets{}, fmt.Errorf("deployment %s/%s has no containers", dep.Namespace, dep.Name)
	}
	r := &reading{
		s:   Settings{Namespace: dep.Namespace, Name: dep.Name, Image: c.Image, Replicas: 1, Sources: Sources{}},
		env: newEnviron(*c, st),
		pod: &dep.Spec.Template.Spec,
		c:   c,
	}
	if dep.Spec.Replicas != nil {
		r.s.Replicas = *dep.Spec.Replicas
	}
	r.s.ServiceAccount = r.pod.ServiceAccountName
	if r.s.ServiceAccount == "" {
		r.s.ServiceAccount = "default"
	}
	r.readPodSettings(dep.Annotations)
	r.readConfigEnv()
	r.readArgs()
	r.readProxy()
	r.readIDPCA()
	r.errs = append(r.errs, r.env.errs...)
	return r.s, r.secrets, errors.Join(r.errs...)
}

// headlampContainer picks the container named headlamp, else the first one.
func headlampContainer(cs []corev1.Container) *corev1.Container {
	for i := range cs {
		if cs[i].Name == ContainerName {
			return &cs[i]
		}
	}
	if len(cs) == 0 {
		return nil
	}
	return &cs[0]
}

// readConfigEnv applies HEADLAMP_CONFIG_* variables, from env entries and (when resolving) from
// envFrom sources; flags read later override them, as in Headlamp.
func (r *reading) readConfigEnv() {
	for _, env := range r.env.order {
		name, ok := strings.CutPrefix(env, EnvConfigPrefix)
		if !ok {
			continue
		}
		flag := Setting(strings.ReplaceAll(strings.ToLower(name), "_", "-"))
		if !knownFlags[flag] {
			r.s.UnknownFlags = append(r.s.UnknownFlags, env)
		}
		val := r.env.vars[env]
		r.set(flag, val, Source{Env: env, From: firstRef(val.refs)})
	}
}

func (r *reading) readArgs() {
	for _, f := range scanFlags(containerArgs(r.c.Command, r.c.Args)) {
		if !knownFlags[f.name] {
			r.s.UnknownFlags = append(r.s.UnknownFlags, f.given)
		}
		val := r.env.expand(f.raw)
		src := Source{Arg: f.given, From: firstRef(val.refs)}
		if len(val.vars) > 0 {
			src.Env = val.vars[len(val.vars)-1]
		}
		r.set(f.name, val, src)
	}
}

func firstRef(refs []KeyRef) *KeyRef {
	if len(refs) == 0 {
		return nil
	}
	ref := refs[0]
	return &ref
}

// set records a setting's source and, when its value is known, applies it.
func (r *reading) set(flag Setting, val value, src Source) {
	apply, ok := setters[flag]
	if !ok {
		return
	}
	r.s.Sources[flag] = src
	if flag == FlagOIDCClientSecret {
		r.s.OIDC.ClientSecret = src.From
		if val.known {
			r.secrets.ClientSecret = val.s
		}
		return
	}
	if !val.known {
		return
	}
	if err := apply(&r.s, val.s); err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s (%s): %w", flag, src, err))
	}
}

// readPodSettings reads what the pod spec says outright: pull secrets and resources, and the
// capsule-proxy Secret install recorded on the Deployment.
func (r *reading) readPodSettings(annotations map[string]string) {
	for _, ref := range r.pod.ImagePullSecrets {
		r.s.ImagePullSecrets = append(r.s.ImagePullSecrets, ref.Name)
	}
	r.s.Resources = Resources{Requests: r.c.Resources.Requests, Limits: r.c.Resources.Limits}
	r.s.Proxy.Secret = annotations[AnnotationProxySecret]
	r.s.Proxy.SecretKey = annotations[AnnotationProxySecretKey]
}
