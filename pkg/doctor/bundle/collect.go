package bundle

import (
	"context"
	"fmt"
	"sync"

	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// ObjectRef names a namespaced object.
type ObjectRef struct{ Namespace, Name string }

func (r ObjectRef) String() string { return r.Namespace + "/" + r.Name }

// Sources says what Collect reads: the Headlamp and capsule-proxy Deployments and Services, the
// namespaces whose pods and events matter, and the proxy's certificate Secret.
type Sources struct {
	Deployments []ObjectRef
	Services    []ObjectRef
	Namespaces  []string
	ProxySecret ObjectRef
}

// workers is how many collection tasks run at once: enough to overlap a few slow answers, few enough
// to spare the API server.
const workers = 4

// task is one piece of the cluster side of a bundle. collect reads it; apply, called in task order
// after every task ended, puts what it read into the bundle, so that the bundle's files come out in the
// same order whatever the order the answers came in.
type task struct {
	what    string // for the errors file: "deployment capsule-system/headlamp"
	collect func(ctx context.Context, cs kubernetes.Interface) (apply func(*Bundle), err error)
}

// tasks lists what src asks for, in the bundle's order.
func tasks(src Sources) []task {
	var ts []task
	for _, r := range src.Deployments {
		ts = append(ts, deploymentTask(r))
	}
	for _, r := range src.Services {
		ts = append(ts, serviceTask(r))
	}
	for _, ns := range src.Namespaces {
		ts = append(ts, podsTask(ns), eventsTask(ns))
	}
	return append(ts, proxyCertificatesTask(src.ProxySecret), versionTask())
}

// Collect reads the cluster side of a bundle into b with a small pool of concurrent tasks, each under
// ctx: the caller bounds it (--timeout), since a hung API server would hold it for ever. What a task
// could not read is listed in b.Errors, rather than failing the bundle.
func Collect(ctx context.Context, cs kubernetes.Interface, src Sources, b *Bundle) {
	ts := tasks(src)
	applies := make([]func(*Bundle), len(ts))
	errs := make([]error, len(ts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(ts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				applies[i], errs[i] = ts[i].collect(ctx, cs)
			}
		}()
	}
	for i := range ts {
		next <- i
	}
	close(next)
	wg.Wait()
	b.init()
	for i, t := range ts {
		if errs[i] != nil {
			b.Errors = append(b.Errors, fmt.Sprintf("%s: %v", t.what, errs[i]))
			continue
		}
		applies[i](b)
	}
}

// init makes the maps Collect fills.
func (b *Bundle) init() {
	if b.Versions == nil {
		b.Versions = map[string]string{}
	}
	if b.Certificates == nil {
		b.Certificates = map[string][]trust.Summary{}
	}
	if b.Rollouts == nil {
		b.Rollouts = map[string]kube.Rollout{}
	}
	if b.Pods == nil {
		b.Pods = map[string][]PodStatus{}
	}
	if b.Events == nil {
		b.Events = map[string][]EventLine{}
	}
}
