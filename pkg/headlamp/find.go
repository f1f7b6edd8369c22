package headlamp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// ErrNoHeadlamp means no Headlamp Deployment was found.
var ErrNoHeadlamp = errors.New("no Headlamp deployment found")

// Find locates the Headlamp Deployment in namespace: the one called name when name is set; else the
// one carrying our managed-by label; else the one labelled app.kubernetes.io/name=headlamp (the
// official chart). Several candidates are an error that names them and the --headlamp flag of the
// commands that call Find.
func Find(ctx context.Context, cs kubernetes.Interface, namespace, name string) (*appsv1.Deployment, error) {
	deps := cs.AppsV1().Deployments(namespace)
	if name != "" {
		dep, err := deps.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("get deployment %s/%s: %w", namespace, name, notFound(err))
		}
		return dep, nil
	}
	for _, selector := range []map[string]string{
		{LabelManagedBy: ManagedBy},
		{LabelName: AppName},
	} {
		list, err := deps.List(ctx, metav1.ListOptions{LabelSelector: labels.SelectorFromSet(selector).String()})
		if apierrors.IsForbidden(err) {
			if dep := byDefaultName(ctx, cs, namespace); dep != nil {
				return dep, nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("list deployments in namespace %s: %w", namespace, kube.Reach(err))
		}
		switch len(list.Items) {
		case 0:
			continue
		case 1:
			return &list.Items[0], nil
		default:
			return nil, fmt.Errorf("several Headlamp deployments in namespace %s (%s): pass --headlamp NAME to choose one",
				namespace, names(list.Items))
		}
	}
	return nil, fmt.Errorf("%w in namespace %s: install one with `kubectl capsule-headlamp install`, or pass the namespace with -n",
		ErrNoHeadlamp, namespace)
}

// byDefaultName is the Headlamp called DefaultName, for a user who may get it but not list: a tenant
// given --tenant-access, whose Role names each object. nil when it cannot be read or is no Headlamp.
func byDefaultName(ctx context.Context, cs kubernetes.Interface, namespace string) *appsv1.Deployment {
	dep, err := cs.AppsV1().Deployments(namespace).Get(ctx, DefaultName, metav1.GetOptions{})
	if err != nil || (dep.Labels[LabelName] != AppName && !OwnerOf(dep).Ours()) {
		return nil
	}
	return dep
}

func names(deps []appsv1.Deployment) string {
	var n []string
	for _, d := range deps {
		n = append(n, d.Name)
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}

// FindService returns the Service in the Deployment's namespace whose selector picks its pods,
// preferring one with the Deployment's name. A user who may not list Services may still get the one
// with the Deployment's name.
func FindService(ctx context.Context, cs kubernetes.Interface, dep *appsv1.Deployment) (*corev1.Service, error) {
	list, err := cs.CoreV1().Services(dep.Namespace).List(ctx, metav1.ListOptions{})
	if apierrors.IsForbidden(err) {
		if svc, gerr := cs.CoreV1().Services(dep.Namespace).Get(ctx, dep.Name, metav1.GetOptions{}); gerr == nil {
			list, err = &corev1.ServiceList{Items: []corev1.Service{*svc}}, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("list services in namespace %s: %w", dep.Namespace, err)
	}
	podLabels := labels.Set(dep.Spec.Template.Labels)
	var found *corev1.Service
	for i, svc := range list.Items {
		if len(svc.Spec.Selector) == 0 || !labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels) {
			continue
		}
		if found == nil || svc.Name == dep.Name {
			found = &list.Items[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no service in namespace %s selects the pods of deployment %s", dep.Namespace, dep.Name)
	}
	return found, nil
}

// Owner tells who manages an object, from its labels and Helm's annotations.
type Owner struct {
	// Manager is the managed-by label: ManagedBy, ManagedByHelm, another tool, or "" for none.
	Manager       string `json:"manager,omitempty"`
	HelmRelease   string `json:"helmRelease,omitempty"`
	HelmNamespace string `json:"helmNamespace,omitempty"`
}

// OwnerOf reads the owner of an object.
func OwnerOf(obj metav1.Object) Owner {
	o := Owner{
		Manager:       obj.GetLabels()[LabelManagedBy],
		HelmRelease:   obj.GetAnnotations()[AnnotationHelmRelease],
		HelmNamespace: obj.GetAnnotations()[AnnotationHelmNamespace],
	}
	if o.Manager == "" && o.HelmRelease != "" {
		o.Manager = ManagedByHelm
	}
	return o
}

// Ours reports whether the plugin manages the object.
func (o Owner) Ours() bool { return o.Manager == ManagedBy }
