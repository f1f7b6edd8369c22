package kube

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"k8s.io/streaming/pkg/httpstream"
)

// ErrForbidden means the API server refused the port-forward: the user lacks `create` on
// `pods/portforward` in the pod's namespace.
var ErrForbidden = errors.New("forbidden")

// StreamDialer opens the multiplexed streaming connection of a port-forward to one pod.
type StreamDialer interface {
	Dial(ctx context.Context, pod Pod) (httpstream.Connection, error)
}

// APIServerDialer opens port-forward connections through the API server's pods/portforward
// subresource: websocket first, falling back to SPDY when the server cannot upgrade, as kubectl does.
type APIServerDialer struct {
	Config *rest.Config
	Client kubernetes.Interface
}

type dialResult struct {
	conn     httpstream.Connection
	protocol string
	err      error
}

// Dial connects to pod. client-go's dialers take no context, so the dial runs aside: when ctx ends
// first, Dial returns at once and the connection, if it still comes, is closed as soon as it does.
func (d APIServerDialer) Dial(ctx context.Context, pod Pod) (httpstream.Connection, error) {
	dialer, err := d.dialer(pod)
	if err != nil {
		return nil, err
	}
	done := make(chan dialResult, 1)
	go func() {
		conn, protocol, err := dialer.Dial(portforward.PortForwardProtocolV1Name)
		done <- dialResult{conn, protocol, err}
	}()
	select {
	case r := <-done:
		return checkDial(pod, r)
	case <-ctx.Done():
		go func() {
			if r := <-done; r.conn != nil {
				_ = r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

func (d APIServerDialer) dialer(pod Pod) (httpstream.Dialer, error) {
	u := d.Client.CoreV1().RESTClient().Post().Resource("pods").
		Namespace(pod.Namespace).Name(pod.Name).SubResource("portforward").URL()
	transport, upgrader, err := spdy.RoundTripperFor(d.Config)
	if err != nil {
		return nil, fmt.Errorf("prepare port-forward transport: %w", err)
	}
	spdyDialer := spdy.NewDialerForStreaming(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	wsDialer, err := portforward.NewSPDYOverWebsocketDialerForStreaming(u, d.Config)
	if err != nil {
		return nil, fmt.Errorf("prepare port-forward transport: %w", err)
	}
	return portforward.NewFallbackDialerForStreaming(wsDialer, spdyDialer, shouldFallBack), nil
}

// shouldFallBack tells when the websocket dial failed in a way SPDY may not: the server refused the
// upgrade, or an HTTPS proxy is in the way. client-go's websocket transport reports a refused upgrade
// with k8s.io/streaming's UpgradeFailureError (apimachinery's deprecated copy of the type is never
// produced on this path), so the streaming check is the one that matters.
func shouldFallBack(err error) bool {
	return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
}

func checkDial(pod Pod, r dialResult) (httpstream.Connection, error) {
	if r.err != nil {
		if strings.Contains(strings.ToLower(r.err.Error()), "forbidden") {
			// Websocket port-forwards are authorised as get, SPDY ones as create: name both verbs.
			return nil, fmt.Errorf("port-forward to pod %s/%s: %w: you need permission to create pods/portforward "+
				"in namespace %s (RBAC verbs create and get) (%v)", pod.Namespace, pod.Name, ErrForbidden, pod.Namespace, r.err)
		}
		return nil, fmt.Errorf("port-forward to pod %s/%s: %w", pod.Namespace, pod.Name, r.err)
	}
	if r.protocol != portforward.PortForwardProtocolV1Name {
		_ = r.conn.Close()
		return nil, fmt.Errorf("port-forward to pod %s/%s: the server speaks %q, not %q",
			pod.Namespace, pod.Name, r.protocol, portforward.PortForwardProtocolV1Name)
	}
	return r.conn, nil
}
