package install

import (
	"context"
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// leftovers warns about what install must not touch but the user should remove. Install creates no
// cluster-scoped object, so any ClusterRoleBinding for Headlamp's ServiceAccount comes from elsewhere,
// usually the official chart's <release>-admin binding to cluster-admin; behind capsule-proxy every
// request carries the user's own token, so such a binding only makes the pod's token dangerous. And a
// Helm release whose objects were taken over would delete them on `helm uninstall`.
func leftovers(ctx context.Context, cs kubernetes.Interface, s headlamp.Settings, foreign []ForeignObject) []string {
	var out []string
	helm, fromHelm := helmOwner(foreign)
	list, err := cs.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{})
	switch {
	case err == nil:
		for _, b := range list.Items {
			if bindsServiceAccount(b.Subjects, s.Namespace, s.ServiceAccount) {
				out = append(out, fmt.Sprintf("clusterrolebinding/%s gives serviceaccount %s/%s the %s %s, which Headlamp behind capsule-proxy does not need (each user's own token is forwarded); remove it: kubectl delete clusterrolebinding %s",
					b.Name, s.Namespace, s.ServiceAccount, b.RoleRef.Kind, b.RoleRef.Name, b.Name))
			}
		}
	case fromHelm:
		// The chart names its binding after the Deployment: <fullname>-admin.
		out = append(out, fmt.Sprintf("could not list cluster role bindings (%v): the Headlamp chart binds its ServiceAccount to cluster-admin by default; check for it with kubectl get clusterrolebinding %[2]s-admin and remove it: kubectl delete clusterrolebinding %[2]s-admin",
			err, s.Name))
	}
	if fromHelm {
		ns := helm.HelmNamespace
		if ns == "" {
			ns = s.Namespace
		}
		out = append(out, fmt.Sprintf("Helm release %q still lists the objects taken over: `helm uninstall %[1]s` would now delete Headlamp; remove what is left of the release by hand, then its record: kubectl -n %[2]s delete secret -l owner=helm,name=%[1]s",
			helm.HelmRelease, ns))
	}
	return out
}

func bindsServiceAccount(subjects []rbacv1.Subject, namespace, name string) bool {
	for _, sub := range subjects {
		if sub.Kind == rbacv1.ServiceAccountKind && sub.Name == name && sub.Namespace == namespace {
			return true
		}
	}
	return false
}

// helmOwner is the owner of the first object taken over that a Helm release manages.
func helmOwner(foreign []ForeignObject) (headlamp.Owner, bool) {
	for _, f := range foreign {
		if f.Owner.HelmRelease != "" {
			return f.Owner, true
		}
	}
	return headlamp.Owner{}, false
}
