package headlamp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// KindIngress is the kind of an Endpoint through an Ingress (KindHTTPRoute: through an HTTPRoute).
const KindIngress = "Ingress"

// Endpoint is one way a browser reaches Headlamp from outside the cluster: a host of an Ingress or
// of a Gateway API HTTPRoute that leads to its Service.
type Endpoint struct {
	// Kind is KindIngress or KindHTTPRoute; Name is the object's name.
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Origin is scheme://host: https when the Ingress has TLS for the host, or when the Gateway's
	// listener for it is HTTPS.
	Origin string `json:"origin"`
	// Gateway is an HTTPRoute's parent; nil for an Ingress.
	Gateway *ParentGateway `json:"gateway,omitempty"`
	// SchemeAssumed says why the scheme is a guess (the Gateway could not be read); "" when read.
	SchemeAssumed string `json:"schemeAssumed,omitempty"`
}

// ParentGateway is the Gateway an HTTPRoute attaches to, and the listener it names ("" for any).
type ParentGateway struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Section   string `json:"sectionName,omitempty"`
}

// HTTPS tells whether the browser reaches Headlamp over https there.
func (e Endpoint) HTTPS() bool { return strings.HasPrefix(e.Origin, "https://") }

// Endpoints lists every way a browser reaches Headlamp's Service svc from outside the cluster, in
// the order login prefers them: Ingress hosts (those with TLS first), then HTTPRoute hosts with the
// scheme of their Gateway's listener. It is the one lookup of Headlamp's URLs, for login and doctor.
// A user who may not list Ingresses or HTTPRoutes (a tenant given --tenant-access) still gets the one
// named after the Service; a cluster without the Gateway API, or dyn nil, has no routes. A Gateway
// the user may not read leaves the scheme https (SchemeAssumed says so): the protocol of every
// listener that serves a sign-in worth having. The error joins the lookups that failed; the
// endpoints the others found are returned with it.
func Endpoints(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, svc *corev1.Service) ([]Endpoint, error) {
	ings, ingErr := listIngresses(ctx, cs, svc)
	eps := IngressEndpoints(ings, svc)
	if dyn == nil {
		return eps, ingErr
	}
	routes, routeErr := listRoutes(ctx, dyn, svc)
	read := gatewayReader(ctx, dyn)
	for _, ep := range RouteEndpoints(routes, svc) {
		eps = append(eps, withGatewayScheme(ep, read))
	}
	return eps, errors.Join(ingErr, routeErr)
}

// listIngresses lists the Ingresses of the Service's namespace, or gets the one named after it.
func listIngresses(ctx context.Context, cs kubernetes.Interface, svc *corev1.Service) ([]networkingv1.Ingress, error) {
	ings := cs.NetworkingV1().Ingresses(svc.Namespace)
	list, err := ings.List(ctx, metav1.ListOptions{})
	if err == nil {
		return list.Items, nil
	}
	if apierrors.IsForbidden(err) {
		one, gerr := ings.Get(ctx, svc.Name, metav1.GetOptions{})
		switch {
		case gerr == nil:
			return []networkingv1.Ingress{*one}, nil
		case apierrors.IsNotFound(gerr):
			return nil, nil // readable by name, and there is none
		}
	}
	return nil, fmt.Errorf("list ingresses in namespace %s: %w", svc.Namespace, err)
}

// listRoutes lists the HTTPRoutes of the Service's namespace, or gets the one named after it.
func listRoutes(ctx context.Context, dyn dynamic.Interface, svc *corev1.Service) ([]unstructured.Unstructured, error) {
	routes := dyn.Resource(HTTPRouteGVR).Namespace(svc.Namespace)
	list, err := routes.List(ctx, metav1.ListOptions{})
	switch {
	case err == nil:
		return list.Items, nil
	case apierrors.IsNotFound(err):
		return nil, nil // no Gateway API
	case apierrors.IsForbidden(err):
		one, gerr := routes.Get(ctx, svc.Name, metav1.GetOptions{})
		if gerr != nil {
			return nil, nil //nolint:nilerr // a route the user may neither list nor get is none to use
		}
		return []unstructured.Unstructured{*one}, nil
	}
	return nil, fmt.Errorf("list httproutes in namespace %s: %w", svc.Namespace, err)
}

// gatewayRead is a Gateway as read, or why it could not be.
type gatewayRead struct {
	gw  *unstructured.Unstructured
	err error
}

// gatewayReader reads each Gateway once, however many hosts its routes have.
func gatewayReader(ctx context.Context, dyn dynamic.Interface) func(ParentGateway) gatewayRead {
	seen := map[ParentGateway]gatewayRead{}
	return func(p ParentGateway) gatewayRead {
		p.Section = ""
		if r, ok := seen[p]; ok {
			return r
		}
		gw, err := dyn.Resource(GatewayGVR).Namespace(p.Namespace).Get(ctx, p.Name, metav1.GetOptions{})
		seen[p] = gatewayRead{gw, err}
		return seen[p]
	}
}

// withGatewayScheme sets the endpoint's scheme from its Gateway's listeners.
func withGatewayScheme(ep Endpoint, read func(ParentGateway) gatewayRead) Endpoint {
	r := read(*ep.Gateway)
	gw, err := r.gw, r.err
	if err != nil {
		ep.SchemeAssumed = fmt.Sprintf("cannot read gateway %s/%s (%s): assuming https", ep.Gateway.Namespace, ep.Gateway.Name, reason(err))
		return ep
	}
	host := strings.TrimPrefix(ep.Origin, "https://")
	if scheme, known := GatewayScheme(gw, ep.Gateway.Section, host); known {
		ep.Origin = scheme + "://" + host
	}
	return ep
}

// reason is the reason of an API error, or the error.
func reason(err error) string {
	if r := apierrors.ReasonForError(err); r != metav1.StatusReasonUnknown {
		return string(r)
	}
	return err.Error()
}

// PlannedEndpoints are the ways to Headlamp that s's objects will open, as Endpoints would find them
// once written: its Ingress (https with a TLS Secret) or its HTTPRoute (https, as a route's origin is
// assumed). Install judges the redirect URI with them before anything exists.
func PlannedEndpoints(s Settings) []Endpoint {
	var eps []Endpoint
	if in := s.Ingress; in != nil && in.Host != "" {
		scheme := "http://"
		if in.TLSSecret != "" {
			scheme = "https://"
		}
		eps = append(eps, Endpoint{Kind: KindIngress, Name: s.Name, Origin: scheme + in.Host})
	}
	if gw := s.Gateway; gw != nil && gw.Host != "" {
		eps = append(eps, Endpoint{Kind: KindHTTPRoute, Name: s.Name, Origin: "https://" + gw.Host,
			Gateway: &ParentGateway{Namespace: gw.Namespace, Name: gw.Name}})
	}
	return eps
}
