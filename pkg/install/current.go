package install

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// Current is what an earlier install of the same Headlamp left in the cluster, read back so that a
// new install changes only what its flags say.
type Current struct {
	Settings headlamp.Settings
	// ClientSecret and IDPCA are the secret and IdP CA in use; empty when unset or unreadable.
	ClientSecret string
	IDPCA        []byte
	// ProxyCABundle is the bundle ConfigMap the pod reads capsule-proxy's CA from, nil for none.
	ProxyCABundle *headlamp.KeyRef
	// Unreadable lists what could not be read back; those settings take their defaults.
	Unreadable error
}

// ReadCurrent reads our installation called name in namespace: its Deployment (through
// pkg/headlamp, which follows its ConfigMap and Secret references, in either layout), and the
// Ingress, HTTPRoute, NetworkPolicy and tenant access around it. It returns nil when there is no
// Deployment of that name, or it is not ours (a take-over starts from the flags alone).
func ReadCurrent(ctx context.Context, c Clients, namespace, name string) (*Current, error) {
	dep, err := c.Kube.AppsV1().Deployments(namespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
		// Forbidden: preflight lists that permission among the others install needs.
		return nil, nil
	case err != nil && !kube.Answered(err):
		return nil, kube.Reach(err)
	case err != nil:
		return nil, fmt.Errorf("read the installed deployment %s/%s to keep its settings: %w", namespace, name, err)
	case !headlamp.OwnerOf(dep).Ours():
		return nil, nil
	}
	s, secrets, err := headlamp.Resolve(ctx, headlamp.ClusterGetter(c.Kube), dep)
	cur := &Current{Settings: s, ClientSecret: secrets.ClientSecret, Unreadable: err}
	cur.readProxy()
	errs := []error{cur.Unreadable, cur.readIDPCA(ctx, c), cur.readAround(ctx, c)}
	cur.Unreadable = errors.Join(errs...)
	return cur, nil
}

// readProxy completes capsule-proxy's Secret for installations made before the Deployment recorded
// it, and tells a bundle from our copy of the CA.
func (cur *Current) readProxy() {
	px := &cur.Settings.Proxy
	ca := px.CA
	switch {
	case ca == nil:
	case ca.Kind == headlamp.KindSecret && px.Secret == "":
		px.Secret = ca.Name
	case ca.Kind == headlamp.KindConfigMap && ca.Name != headlamp.ProxyCACopyName(cur.Settings.Name):
		ref := *ca
		cur.ProxyCABundle = &ref
	}
}

func (cur *Current) readIDPCA(ctx context.Context, c Clients) error {
	var err error
	cur.IDPCA, err = headlamp.ReadIDPCA(ctx, c.Kube, cur.Settings)
	return err
}
