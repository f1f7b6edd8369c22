package bundle

import (
	"context"
	"crypto/x509"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

func deploymentTask(r ObjectRef) task {
	return task{what: "deployment " + r.String(), collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		d, err := cs.AppsV1().Deployments(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		return func(b *Bundle) {
			b.Objects = append(b.Objects, scrubDeployment(d))
			b.Rollouts[r.String()] = kube.RolloutStatus(d)
		}, nil
	}}
}

func serviceTask(r ObjectRef) task {
	return task{what: "service " + r.String(), collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		s, err := cs.CoreV1().Services(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		return func(b *Bundle) { b.Objects = append(b.Objects, scrubService(s)) }, nil
	}}
}

func podsTask(ns string) task {
	return task{what: "pods in " + ns, collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		list, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		return func(b *Bundle) { b.Pods[ns] = podStatuses(list.Items) }, nil
	}}
}

func eventsTask(ns string) task {
	return task{what: "events in " + ns, collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		list, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		return func(b *Bundle) { b.Events[ns] = recentEvents(list.Items) }, nil
	}}
}

// proxyCertificatesTask summarises the certificate keys of the proxy Secret; tls.key is never read.
func proxyCertificatesTask(r ObjectRef) task {
	return task{what: "certificates of secret " + r.String(), collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		s, err := cs.CoreV1().Secrets(r.Namespace).Get(ctx, r.Name, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		found := map[string][]trust.Summary{}
		for _, key := range []string{"tls.crt", "ca.crt", "ca"} {
			if certs, err := trust.ParseBundle(s.Data[key]); err == nil {
				found[fmt.Sprintf("secret %s %s", r, key)] = summaries(certs)
			}
		}
		return func(b *Bundle) {
			for k, v := range found {
				b.Certificates[k] = v
			}
		}, nil
	}}
}

func versionTask() task {
	return task{what: "the Kubernetes version", collect: func(ctx context.Context, cs kubernetes.Interface) (func(*Bundle), error) {
		v, err := kube.ServerVersion(ctx, cs)
		if err != nil {
			return nil, err
		}
		return func(b *Bundle) { b.Versions["kubernetes"] = v.GitVersion }, nil
	}}
}

// summaries describes certificates for the bundle.
func summaries(certs []*x509.Certificate) []trust.Summary {
	out := make([]trust.Summary, len(certs))
	for i, c := range certs {
		out[i] = trust.Summarize(c)
	}
	return out
}
