package proxy

import (
	"cmp"
	"context"
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
)

// capsuleCache holds the Tenants and CapsuleConfigurations the proxy filters with. The real proxy
// reads them from its manager's cache, not from the API server per request (capsule-proxy main.go:
// the webserver's client is mgr.GetClient() unless --disable-caching, with field indexers on the
// Tenants' owners), so what a request costs does not grow with the number of Tenants.
type capsuleCache struct {
	tenants cache.GenericLister
	configs cache.GenericLister
	stop    context.CancelFunc
}

// watchCapsule watches Tenants and CapsuleConfigurations until life ends or stop is called, and
// returns once both are listed, or with an error when wait ends first.
func watchCapsule(life, wait context.Context, dyn dynamic.Interface) (*capsuleCache, error) {
	ctx, cancel := context.WithCancel(life)
	cut := context.AfterFunc(wait, cancel) // the listing is bounded by wait, the watch by life
	factory := dynamicinformer.NewDynamicSharedInformerFactory(dyn, 0)
	tenants, configs := factory.ForResource(tenantGVR), factory.ForResource(configGVR)
	for _, inf := range []cache.SharedIndexInformer{tenants.Informer(), configs.Informer()} {
		if err := inf.SetWatchErrorHandlerWithContext(quietWhenStopped); err != nil {
			cancel()
			return nil, err
		}
	}
	c := &capsuleCache{tenants: tenants.Lister(), configs: configs.Lister(), stop: cancel}
	factory.Start(ctx.Done())
	for gvr, synced := range factory.WaitForCacheSync(ctx.Done()) {
		if !synced {
			cancel()
			return nil, fmt.Errorf("list %s: %w", gvr.Resource, cmp.Or(context.Cause(wait), context.Cause(life)))
		}
	}
	if !cut() { // wait ended as the listing did: the watch is cancelled already
		return nil, fmt.Errorf("list tenants and capsule configurations: %w", context.Cause(wait))
	}
	return c, nil
}

// quietWhenStopped reports a failed list or watch as client-go does, except the one the cache's own
// stop causes: a rewatch stops the previous cache, and its "context canceled" is no failure.
func quietWhenStopped(ctx context.Context, r *cache.Reflector, err error) {
	if ctx.Err() != nil {
		return
	}
	cache.DefaultWatchErrorHandler(ctx, r, err)
}

// config is the cached CapsuleConfiguration called name.
func (c *capsuleCache) config(name string) (*unstructured.Unstructured, error) {
	obj, err := c.configs.Get(name)
	if err != nil {
		return nil, err
	}
	return asUnstructured(obj)
}

// tenantList is every cached Tenant.
func (c *capsuleCache) tenantList() ([]*unstructured.Unstructured, error) {
	objs, err := c.tenants.List(labels.Everything())
	if err != nil {
		return nil, err
	}
	out := make([]*unstructured.Unstructured, 0, len(objs))
	for _, o := range objs {
		u, err := asUnstructured(o)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func asUnstructured(obj any) (*unstructured.Unstructured, error) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return nil, fmt.Errorf("cached object is a %T, not unstructured", obj)
	}
	return u, nil
}

// caches is the proxy's current cache; Rewatch replaces it.
type caches struct {
	mu  sync.Mutex
	cur *capsuleCache
}

func (c *caches) get() *capsuleCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

// swap makes next the current cache and stops the one it replaces.
func (c *caches) swap(next *capsuleCache) {
	c.mu.Lock()
	old := c.cur
	c.cur = next
	c.mu.Unlock()
	if old != nil {
		old.stop()
	}
}
