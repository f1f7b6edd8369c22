package headlamplog

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// The bounds of a read: the last lines, at most this many bytes, of at most this long ago. Headlamp logs
// little once started, so its "Proxy setup" line is usually among them.
const (
	TailLines    = 1000
	LimitBytes   = 512 << 10
	SinceSeconds = 24 * 60 * 60
	// Recent is how far back a failure still counts: older lines are history, not the current state.
	Recent = time.Hour
)

// Read reads the recent log of container in a pod, within the bounds above.
func Read(ctx context.Context, kube kubernetes.Interface, namespace, pod, container string) (string, error) {
	tail, limit, since := int64(TailLines), int64(LimitBytes), int64(SinceSeconds)
	opts := &corev1.PodLogOptions{Container: container, TailLines: &tail, LimitBytes: &limit, SinceSeconds: &since}
	data, err := kube.CoreV1().Pods(namespace).GetLogs(pod, opts).Do(ctx).Raw()
	return string(data), err
}
