// Package kube builds Kubernetes clients from kubectl's flags and holds the small cluster helpers that
// several commands share.
package kube

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/version"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Client-side rate limits. client-go's defaults (5 requests per second, bursts of 10) are made for
// controllers sharing an API server all day; a short-lived command that polls while it waits (install)
// or runs checks concurrently (doctor) would spend its timeout queued behind its own limiter.
const (
	clientQPS   = 50
	clientBurst = 100
)

// NewClientset returns a typed clientset for the cluster selected by kubectl's flags (--kubeconfig,
// --context, --as, ...). Each of its one-shot requests fails with ErrNoAnswer when the API server has
// not answered within --request-timeout, or DefaultRequestTimeout; watches are not bounded.
func NewClientset(getter genericclioptions.RESTClientGetter) (kubernetes.Interface, error) {
	cfg, err := getter.ToRESTConfig()
	if err != nil {
		return nil, fmt.Errorf("load kubeconfig: %w", err)
	}
	return newClientset(cfg, DefaultRequestTimeout)
}

func newClientset(cfg *rest.Config, timeout time.Duration) (kubernetes.Interface, error) {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = clientQPS, clientBurst
	boundRequests(cfg, timeout)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("create Kubernetes client: %w", err)
	}
	return cs, nil
}

// serverVersioner is the part of the discovery client that reports the server version.
type serverVersioner interface {
	ServerVersionWithContext(ctx context.Context) (*version.Info, error)
}

// ServerVersion asks the API server for its version.
func ServerVersion(ctx context.Context, cs kubernetes.Interface) (*version.Info, error) {
	d, ok := cs.Discovery().(serverVersioner)
	if !ok {
		return nil, fmt.Errorf("discovery client %T cannot report the server version", cs.Discovery())
	}
	info, err := d.ServerVersionWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("get server version (is the cluster of the current context reachable?): %w", err)
	}
	return info, nil
}
