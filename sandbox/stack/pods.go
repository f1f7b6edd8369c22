package stack

import (
	"context"
	"path"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	listersv1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// podRuntime is the sandbox's container runtime for the images no registry serves: it watches the
// pods on the KWOK node and runs a stand-in for each container of a capsule-proxy or Headlamp image,
// the way a kubelet would run the container. It gives every such pod its own KWOK port forward and
// log (kubectl port-forward and kubectl logs reach that pod's stand-in) and keeps the pod's readiness
// honest: a container that exits at start or cannot mount its volumes is not ready.
type podRuntime struct {
	s      *Stack
	pods   listersv1.PodLister
	queue  workqueue.TypedDelayingInterface[types.NamespacedName]
	stop   context.CancelFunc
	done   sync.WaitGroup
	mu     sync.Mutex
	hl     map[types.UID]*headlampPod // running Headlamp containers
	hlOff  bool                       // the Headlamp stand-in is stopped (StopComponent)
	synced map[string]time.Time       // when per-pod objects were put in place ("log/<uid>", "forward/<uid>/<addr>")
	addrs  map[types.UID]string       // where each pod's Headlamp container listens, kept across its restarts
}

// Images the runtime runs: the last path element of the image's repository.
const (
	imageProxy    = "capsule-proxy"
	imageHeadlamp = "headlamp"
)

// resync is how often every pod is looked at again: retries of containers that could not start, and
// readiness that someone else changed.
const resync = 2 * time.Second

// standinContainer returns the container of p that runs a stand-in image, and which one.
func standinContainer(p *corev1.Pod) (corev1.Container, string) {
	for _, c := range p.Spec.Containers {
		repo := c.Image
		if i := strings.IndexAny(repo, "@"); i >= 0 {
			repo = repo[:i]
		}
		if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
			repo = repo[:i]
		}
		if name := path.Base(repo); name == imageProxy || name == imageHeadlamp {
			return c, name
		}
	}
	return corev1.Container{}, ""
}

// startPodRuntime watches the KWOK node's pods until stopPodRuntime.
func (s *Stack) startPodRuntime(ctx context.Context) error {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := informers.NewSharedInformerFactoryWithOptions(s.kube, 0, informers.WithTweakListOptions(func(o *metav1.ListOptions) {
		o.FieldSelector = "spec.nodeName=" + FakeNodeName
	}))
	inf := f.Core().V1().Pods()
	r := &podRuntime{s: s, pods: inf.Lister(), stop: cancel, queue: workqueue.NewTypedDelayingQueue[types.NamespacedName](),
		hl: map[types.UID]*headlampPod{}, synced: map[string]time.Time{}, addrs: map[types.UID]string{}}
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			ns, name, _ := cache.SplitMetaNamespaceKey(key)
			r.queue.Add(types.NamespacedName{Namespace: ns, Name: name})
		}
	}
	if _, err := inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue, UpdateFunc: func(_, o any) { enqueue(o) }, DeleteFunc: enqueue,
	}); err != nil {
		cancel()
		return err
	}
	f.Start(ctx.Done())
	f.WaitForCacheSync(ctx.Done())
	r.done.Add(2)
	go func() { defer r.done.Done(); r.work(ctx) }()
	go func() { defer r.done.Done(); r.resyncAll(ctx) }()
	s.mu.Lock()
	s.runtime = r
	s.mu.Unlock()
	return nil
}

// stopPodRuntime stops watching and every Headlamp container.
func (s *Stack) stopPodRuntime() {
	s.mu.Lock()
	r := s.runtime
	s.runtime = nil
	s.mu.Unlock()
	if r == nil {
		return
	}
	r.stop()
	r.queue.ShutDown()
	r.done.Wait()
	r.stopHeadlamps()
}

func (r *podRuntime) work(ctx context.Context) {
	for {
		key, quit := r.queue.Get()
		if quit {
			return
		}
		if again := r.sync(ctx, key); again {
			r.queue.AddAfter(key, resync)
		}
		r.queue.Done(key)
	}
}

func (r *podRuntime) resyncAll(ctx context.Context) {
	t := time.NewTicker(resync)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		r.enqueueAll()
	}
}

// sync brings one pod's stand-in in line with the pod; true asks to look again later.
func (r *podRuntime) sync(ctx context.Context, key types.NamespacedName) bool {
	p, err := r.pods.Pods(key.Namespace).Get(key.Name)
	if err != nil { // deleted
		r.forget(key)
		return false
	}
	if p.DeletionTimestamp != nil {
		r.stopHeadlamp(p.UID)
		return false
	}
	c, image := standinContainer(p)
	switch image {
	case imageProxy:
		return r.syncProxyPod(ctx, p, c)
	case imageHeadlamp:
		return r.syncHeadlampPod(ctx, p, c)
	}
	return false
}
