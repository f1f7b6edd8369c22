package headlamp

import (
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// fileSource finds the Secret or ConfigMap key behind a file in the container.
func (r *reading) fileSource(p string) (*KeyRef, Source, bool) {
	m := r.mountFor(p)
	if m == nil {
		return nil, Source{}, false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(p, strings.TrimSuffix(m.MountPath, "/")), "/")
	if m.SubPath != "" {
		rel = path.Join(m.SubPath, rel)
	}
	v := r.volume(m.Name)
	if v == nil {
		return nil, Source{}, false
	}
	for _, obj := range volumeObjects(v) {
		if key, ok := obj.keyFor(rel); ok {
			return &KeyRef{Kind: obj.kind, Name: obj.name, Key: key}, Source{Volume: v.Name}, true
		}
	}
	return nil, Source{}, false
}

// dirSource finds the Secret or ConfigMap mounted as a folder; the key is set when only one is mounted.
func (r *reading) dirSource(dir string) (*KeyRef, Source, bool) {
	m := r.mountFor(dir)
	if m == nil || strings.TrimSuffix(m.MountPath, "/") != strings.TrimSuffix(dir, "/") || m.SubPath != "" {
		return nil, Source{}, false
	}
	v := r.volume(m.Name)
	if v == nil {
		return nil, Source{}, false
	}
	objs := volumeObjects(v)
	if len(objs) == 0 {
		return nil, Source{}, false
	}
	ref := &KeyRef{Kind: objs[0].kind, Name: objs[0].name}
	if len(objs) == 1 && len(objs[0].items) == 1 {
		ref.Key = objs[0].items[0].Key
	}
	return ref, Source{Volume: v.Name}, true
}

// volumeObject is a Secret or ConfigMap a volume (or one projection of it) shows as files.
type volumeObject struct {
	kind, name string
	items      []corev1.KeyToPath
}

// keyFor maps a file path inside the volume to the key it shows; without items every key is a file.
func (o volumeObject) keyFor(rel string) (string, bool) {
	if len(o.items) == 0 {
		return rel, !strings.Contains(rel, "/")
	}
	for _, it := range o.items {
		if path.Clean(it.Path) == rel {
			return it.Key, true
		}
	}
	return "", false
}

func volumeObjects(v *corev1.Volume) []volumeObject {
	switch {
	case v.Secret != nil:
		return []volumeObject{{KindSecret, v.Secret.SecretName, v.Secret.Items}}
	case v.ConfigMap != nil:
		return []volumeObject{{KindConfigMap, v.ConfigMap.Name, v.ConfigMap.Items}}
	case v.Projected != nil:
		var objs []volumeObject
		for _, p := range v.Projected.Sources {
			switch {
			case p.Secret != nil:
				objs = append(objs, volumeObject{KindSecret, p.Secret.Name, p.Secret.Items})
			case p.ConfigMap != nil:
				objs = append(objs, volumeObject{KindConfigMap, p.ConfigMap.Name, p.ConfigMap.Items})
			}
		}
		return objs
	}
	return nil
}
