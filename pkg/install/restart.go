package install

import (
	"bytes"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// startInput is an object a Headlamp container reads when it starts, with the data install writes.
type startInput struct {
	ref  ref
	data map[string][]byte
}

// startInputs are the CA ConfigMaps, the settings ConfigMap and the Secret that objs holds.
func startInputs(objs headlamp.Objects) []startInput {
	var out []startInput
	for _, cm := range []*corev1ac.ConfigMapApplyConfiguration{objs.IDPCA, objs.ProxyCA, objs.OIDCConfig} {
		if cm != nil {
			out = append(out, startInput{ref{&configMaps, *cm.Name}, configMapData(cm.Data, cm.BinaryData)})
		}
	}
	if s := objs.Secret; s != nil {
		data := map[string][]byte{}
		for k, v := range s.Data {
			data[k] = v
		}
		for k, v := range s.StringData {
			data[k] = []byte(v)
		}
		out = append(out, startInput{ref{&secrets, *s.Name}, data})
	}
	return out
}

func configMapData(data map[string]string, binary map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(data)+len(binary))
	for k, v := range data {
		out[k] = []byte(v)
	}
	for k, v := range binary {
		out[k] = v
	}
	return out
}

// liveData is the data of a ConfigMap or Secret as read; ok is false for an absent object.
func liveData(obj any) (map[string][]byte, bool) {
	switch o := obj.(type) {
	case *corev1.ConfigMap:
		return configMapData(o.Data, o.BinaryData), o != nil
	case *corev1.Secret:
		return o.Data, o != nil
	}
	return nil, false
}

// changedStartInputs lists the objects Headlamp reads at start whose data in the cluster (before)
// differs from what install writes, in any key install writes: absent, edited, or new.
func changedStartInputs(before snapshot, objs headlamp.Objects) []ref {
	var changed []ref
	for _, in := range startInputs(objs) {
		live, ok := liveData(before[in.ref])
		if !ok || !sameData(live, in.data) {
			changed = append(changed, in.ref)
		}
	}
	return changed
}

// sameData reports whether live holds every key of want with the same value.
func sameData(live, want map[string][]byte) bool {
	for k, v := range want {
		got, ok := live[k]
		if !ok || !bytes.Equal(got, v) {
			return false
		}
	}
	return true
}

// restartStamp decides the pod template's AnnotationRestartedAt. The config hash restarts Headlamp
// when the settings or credentials install is given change; it cannot see the cluster drift away
// from them. After a manual edit of the Secret and a `kubectl rollout restart`, the pod runs with
// the edited secret while install computes the same hash as before: putting the Secret back then
// changes nothing in the pod template, and the pod would keep the edited secret. So when an object
// Headlamp reads at start differs from what install writes but the hash does not change, the stamp
// is the current time, which replaces the pod. Otherwise the installed stamp is kept, so that a
// second install changes nothing. It returns the stamp ("" for none) and the objects that made it
// new.
func restartStamp(before snapshot, objs headlamp.Objects, now time.Time) (string, []ref) {
	live, _ := before[ref{&deployments, *objs.Deployment.Name}].(*appsv1.Deployment)
	if live == nil {
		return "", nil // a new Deployment starts new pods anyway
	}
	kept := live.Spec.Template.Annotations[headlamp.AnnotationRestartedAt]
	if live.Spec.Template.Annotations[headlamp.AnnotationConfigHash] != objs.Deployment.Spec.Template.Annotations[headlamp.AnnotationConfigHash] {
		return kept, nil // the new hash replaces the pod
	}
	changed := changedStartInputs(before, objs)
	if len(changed) == 0 {
		return kept, nil
	}
	return now.UTC().Format(time.RFC3339Nano), changed
}
