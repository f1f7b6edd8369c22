// Package proxyview reads capsule-proxy's Service and the Deployment behind it once per run, into the
// facts the catalogue's areas judge: Capsule's (which CapsuleConfiguration capsule-proxy reads),
// capsule-proxy's own, the API server's authentication (which claim it takes as the user name) and the
// identity checks (whether the user's token carries that claim). It holds facts, no checks, so that each
// of those areas may build on it.
package proxyview

import (
	"context"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts about capsule-proxy's objects.
const (
	FactService    engine.Key[*corev1.Service] = "proxy-service"
	FactDeployment engine.Key[Deployment]      = "proxy-deployment"
)

// ContainerName is the container of capsule-proxy's Helm chart; other Deployments use their first.
const ContainerName = "capsule-proxy"

// Deployment is the capsule-proxy Deployment whose pods the Service selects, with its flags.
type Deployment struct {
	Namespace, Name, Container string
	Flags                      Flags
}

// Ref is namespace/name, for messages.
func (d Deployment) Ref() string { return d.Namespace + "/" + d.Name }

// Facts are the facts about capsule-proxy's objects, read with env.
func Facts(env area.Env) []engine.Fact {
	p := env.Proxy
	return []engine.Fact{
		engine.Define(FactService, nil, func(ctx context.Context, _ engine.Facts) (*corev1.Service, error) {
			svc, err := env.Kube.CoreV1().Services(p.Namespace).Get(ctx, p.Service, metav1.GetOptions{})
			return svc, area.WrapAccess(area.Access{Verb: "get", Resource: "services", Namespace: p.Namespace, Name: p.Service}, err)
		}),
		engine.Define(FactDeployment, []engine.FactName{FactService.Name()}, func(ctx context.Context, in engine.Facts) (Deployment, error) {
			svc, err := FactService.Get(in)
			if err != nil {
				return Deployment{}, err
			}
			list, err := env.Kube.AppsV1().Deployments(svc.Namespace).List(ctx, metav1.ListOptions{})
			if err != nil {
				return Deployment{}, area.WrapAccess(area.Access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: svc.Namespace}, err)
			}
			return behind(svc, list.Items)
		}),
	}
}

// behind picks the Deployment whose pod template the Service selects (the first by name when several
// do), and reads its flags.
func behind(svc *corev1.Service, deployments []appsv1.Deployment) (Deployment, error) {
	sort.Slice(deployments, func(i, j int) bool { return deployments[i].Name < deployments[j].Name })
	if len(svc.Spec.Selector) > 0 {
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		for _, d := range deployments {
			if !sel.Matches(labels.Set(d.Spec.Template.Labels)) || len(d.Spec.Template.Spec.Containers) == 0 {
				continue
			}
			c := d.Spec.Template.Spec.Containers[0]
			for _, cc := range d.Spec.Template.Spec.Containers {
				if cc.Name == ContainerName {
					c = cc
				}
			}
			return Deployment{Namespace: d.Namespace, Name: d.Name, Container: c.Name, Flags: ParseFlags(c)}, nil
		}
	}
	gr := schema.GroupResource{Group: "apps", Resource: "deployments"}
	err := apierrors.NewNotFound(gr, fmt.Sprintf("selected by Service %s/%s (%s)", svc.Namespace, svc.Name, labels.Set(svc.Spec.Selector)))
	return Deployment{}, area.WrapAccess(area.Access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: svc.Namespace}, err)
}
