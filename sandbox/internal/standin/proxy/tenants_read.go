package proxy

import (
	"context"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// tenantRead is one LIST of the Tenants, shared by the requests that ask while it is under way.
type tenantRead struct {
	done chan struct{}
	list *unstructured.UnstructuredList
	err  error
}

// tenantReads coalesces the Tenant LISTs of concurrent requests. The real proxy reads Tenants from
// its informer cache; the stand-in reads them per request, and a client asking several lists at once
// (Headlamp's first pages, doctor's TENANT-VIEWS) would otherwise cost the API server one full LIST each.
type tenantReads struct {
	mu  sync.Mutex
	cur *tenantRead
}

// tenants lists every Tenant, joining a LIST already under way.
func (s *Server) tenants(ctx context.Context) (*unstructured.UnstructuredList, error) {
	s.reads.mu.Lock()
	r := s.reads.cur
	if r == nil {
		r = &tenantRead{done: make(chan struct{})}
		s.reads.cur = r
		go func() {
			// Not the asking request's context: the others wait for the same answer.
			r.list, r.err = s.dyn.Resource(tenantGVR).List(context.WithoutCancel(ctx), metav1.ListOptions{})
			s.reads.mu.Lock()
			s.reads.cur = nil
			s.reads.mu.Unlock()
			close(r.done)
		}()
	}
	s.reads.mu.Unlock()
	select {
	case <-r.done:
		return r.list, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
