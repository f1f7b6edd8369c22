package stack

import (
	"context"
	"fmt"
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
	s       *Stack
	queue   workqueue.TypedDelayingInterface[types.NamespacedName]
	base    context.Context // lives until stopPodRuntime; the watches are its children
	stop    context.CancelFunc
	done    sync.WaitGroup
	mu      sync.Mutex
	pods    listersv1.PodLister        // the current watch's; rewatch replaces it
	unwatch context.CancelFunc         // stops the current watch
	hl      map[types.UID]*headlampPod // running Headlamp containers
	hlOff   bool                       // the Headlamp stand-in is stopped (StopComponent)
	synced  map[string]time.Time       // when per-pod objects were put in place ("log/<uid>", "forward/<uid>/<addr>")
	addrs   map[types.UID]string       // where each pod's Headlamp container listens, kept across its restarts
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
	r := &podRuntime{s: s, base: ctx, stop: cancel, queue: workqueue.NewTypedDelayingQueue[types.NamespacedName](),
		hl: map[types.UID]*headlampPod{}, synced: map[string]time.Time{}, addrs: map[types.UID]string{}}
	if err := r.watch(ctx); err != nil {
		cancel()
		return err
	}
	r.done.Add(2)
	go func() { defer r.done.Done(); r.work(ctx) }()
	go func() { defer r.done.Done(); r.resyncAll(ctx) }()
	s.mu.Lock()
	s.runtime = r
	s.mu.Unlock()
	return nil
}

// watch starts a new watch of the node's pods and, once it has listed them, puts it in place of the
// previous one (stopped then). The containers keep running: only what the runtime knows of the pods
// is renewed.
func (r *podRuntime) watch(ctx context.Context) error {
	wctx, cancel := context.WithCancel(r.base)
	f := informers.NewSharedInformerFactoryWithOptions(r.s.kube, 0, informers.WithTweakListOptions(func(o *metav1.ListOptions) {
		o.FieldSelector = "spec.nodeName=" + FakeNodeName
	}))
	inf := f.Core().V1().Pods()
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
	f.Start(wctx.Done())
	for _, ok := range f.WaitForCacheSync(ctx.Done()) {
		if !ok {
			cancel()
			return fmt.Errorf("list the pods: %w", context.Cause(ctx))
		}
	}
	r.mu.Lock()
	old := r.unwatch
	r.pods, r.unwatch = inf.Lister(), cancel
	r.mu.Unlock()
	if old != nil {
		old()
	}
	return nil
}

// rewatchPods renews the pod runtime's watch after the API server restarted. A watch that lived
// through several restarts sits in client-go's reconnect back-off (doubling up to 30 s, with jitter,
// reset only after two quiet minutes), and meanwhile the runtime would not see new pods: KWOK marks
// them Ready while no container runs behind them.
func (s *Stack) rewatchPods(ctx context.Context) error {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return nil
	}
	if err := r.watch(ctx); err != nil {
		return fmt.Errorf("watch the pods again after the API server restart: %w", err)
	}
	r.enqueueAll()
	return nil
}

// podLister is the current watch's lister.
func (r *podRuntime) podLister() listersv1.PodLister {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pods
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
	r.stop() // ends the watch too: its context is a child
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
	p, err := r.podLister().Pods(key.Namespace).Get(key.Name)
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
