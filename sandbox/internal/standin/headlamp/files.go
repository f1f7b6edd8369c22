package headlamp

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// files are what a container finds in its volumes when it starts: absolute path -> content. Like the
// kubelet, the sandbox writes them once; a Secret changed later changes the projected file, but a
// process that read the file at start keeps what it read.
type files map[string][]byte

// MountError is a volume the kubelet cannot set up (a Secret or ConfigMap that does not exist): the
// container does not start.
type MountError struct{ Err error }

func (e *MountError) Error() string { return "MountVolume.SetUp failed: " + e.Err.Error() }
func (e *MountError) Unwrap() error { return e.Err }

// readFiles collects the files of container c's volume mounts in pod p.
func readFiles(ctx context.Context, kube kubernetes.Interface, p *corev1.Pod, c corev1.Container) (files, error) {
	out := files{}
	for _, m := range c.VolumeMounts {
		v := volumeNamed(p, m.Name)
		if v == nil {
			continue
		}
		vf, err := volumeFiles(ctx, kube, p, v)
		if err != nil {
			return nil, &MountError{Err: fmt.Errorf("volume %q: %w", v.Name, err)}
		}
		for rel, data := range vf {
			if m.SubPath != "" {
				var ok bool
				if rel, ok = underSubPath(rel, m.SubPath); !ok {
					continue
				}
			}
			out[path.Join(m.MountPath, rel)] = data
		}
	}
	return out, nil
}

func underSubPath(rel, sub string) (string, bool) {
	sub = strings.Trim(sub, "/")
	if rel == sub {
		return "", true
	}
	r, ok := strings.CutPrefix(rel, sub+"/")
	return r, ok
}

func volumeNamed(p *corev1.Pod, name string) *corev1.Volume {
	for i := range p.Spec.Volumes {
		if p.Spec.Volumes[i].Name == name {
			return &p.Spec.Volumes[i]
		}
	}
	return nil
}

// volumeFiles are a volume's files by path relative to its root.
func volumeFiles(ctx context.Context, kube kubernetes.Interface, p *corev1.Pod, v *corev1.Volume) (map[string][]byte, error) {
	out := map[string][]byte{}
	src := v.VolumeSource
	switch {
	case src.Secret != nil:
		return out, addSecret(ctx, kube, p.Namespace, src.Secret.SecretName, src.Secret.Items, src.Secret.Optional, out)
	case src.ConfigMap != nil:
		return out, addConfigMap(ctx, kube, p.Namespace, src.ConfigMap.Name, src.ConfigMap.Items, src.ConfigMap.Optional, out)
	case src.DownwardAPI != nil:
		addDownward(p, src.DownwardAPI.Items, out)
	case src.Projected != nil:
		for _, ps := range src.Projected.Sources {
			var err error
			switch {
			case ps.Secret != nil:
				err = addSecret(ctx, kube, p.Namespace, ps.Secret.Name, ps.Secret.Items, ps.Secret.Optional, out)
			case ps.ConfigMap != nil:
				err = addConfigMap(ctx, kube, p.Namespace, ps.ConfigMap.Name, ps.ConfigMap.Items, ps.ConfigMap.Optional, out)
			case ps.DownwardAPI != nil:
				addDownward(p, ps.DownwardAPI.Items, out)
			case ps.ServiceAccountToken != nil:
				// The token's content plays no part in what the stand-in reproduces; its presence does.
				out[ps.ServiceAccountToken.Path] = []byte("sandbox-projected-service-account-token")
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func addSecret(ctx context.Context, kube kubernetes.Interface, ns, name string, items []corev1.KeyToPath, optional *bool, out map[string][]byte) error {
	sec, err := kube.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return missing(err, optional, "secret", name)
	}
	return addKeys(sec.Data, items, optional, "secret", name, out)
}

func addConfigMap(ctx context.Context, kube kubernetes.Interface, ns, name string, items []corev1.KeyToPath, optional *bool, out map[string][]byte) error {
	cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return missing(err, optional, "configmap", name)
	}
	data := map[string][]byte{}
	for k, v := range cm.Data {
		data[k] = []byte(v)
	}
	for k, v := range cm.BinaryData {
		data[k] = v
	}
	return addKeys(data, items, optional, "configmap", name, out)
}

// missing: an optional source that is not there contributes nothing; a required one stops the mount.
func missing(err error, optional *bool, kind, name string) error {
	if apierrors.IsNotFound(err) && optional != nil && *optional {
		return nil
	}
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%s %q not found", kind, name)
	}
	return err
}

func addKeys(data map[string][]byte, items []corev1.KeyToPath, optional *bool, kind, name string, out map[string][]byte) error {
	if len(items) == 0 {
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out[k] = data[k]
		}
		return nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if optional != nil && *optional {
				continue
			}
			return fmt.Errorf("%s %q has no key %q", kind, name, it.Key)
		}
		out[it.Path] = v
	}
	return nil
}

func addDownward(p *corev1.Pod, items []corev1.DownwardAPIVolumeFile, out map[string][]byte) {
	for _, it := range items {
		if it.FieldRef == nil {
			continue
		}
		switch it.FieldRef.FieldPath {
		case "metadata.namespace":
			out[it.Path] = []byte(p.Namespace)
		case "metadata.name":
			out[it.Path] = []byte(p.Name)
		}
	}
}

// file returns a file's content.
func (f files) file(p string) ([]byte, bool) {
	data, ok := f[path.Clean(p)]
	return data, ok
}

// dir returns the contents of the files directly in folder dir, by name.
func (f files) dir(dir string) [][]byte {
	dir = path.Clean(dir)
	var names []string
	for p := range f {
		if path.Dir(p) == dir {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	var out [][]byte
	for _, n := range names {
		out = append(out, f[n])
	}
	return out
}
