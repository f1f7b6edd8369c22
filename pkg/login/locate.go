package login

import (
	"context"
	"errors"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// Installation is the Headlamp login opens: its Deployment, the Service in front of it and the
// settings read from the Deployment.
type Installation struct {
	Deployment *appsv1.Deployment
	Service    *corev1.Service
	Settings   headlamp.Settings
	// Unresolved says which settings kept in Secrets or ConfigMaps could not be read (often RBAC:
	// tenants may not read Secrets in Headlamp's namespace); nil when all were read.
	Unresolved error
	// IDPCA is the PEM of the IdP CA Headlamp is configured with, when it could be read.
	IDPCA []byte
}

// loginSettings are the settings login reads: what the sign-in URL, the redirect URI and the IdP
// check need. Tenants may read no more than these; the client secret is never among them.
var loginSettings = []headlamp.Setting{
	headlamp.FlagOIDCClientID, headlamp.FlagOIDCIssuerURL, headlamp.FlagOIDCScopes, headlamp.FlagOIDCCallbackURL,
	headlamp.FlagBaseURL, headlamp.FlagInClusterContextName, headlamp.FlagInsecureSSL, headlamp.FlagOIDCSkipTLSVerify,
	headlamp.FlagOIDCCAFile,
}

// Locate finds the Headlamp Deployment in namespace (the one called name when set, else ours, else
// the chart's) and its Service, and reads the settings login needs, including those kept in
// Secrets and ConfigMaps when the user may read them; never the client secret.
func Locate(ctx context.Context, cs kubernetes.Interface, namespace, name string) (*Installation, error) {
	dep, err := headlamp.Find(ctx, cs, namespace, name)
	if err != nil {
		return nil, err
	}
	svc, err := headlamp.FindService(ctx, cs, dep)
	if err != nil {
		return nil, err
	}
	settings, err := headlamp.ResolveOnly(ctx, headlamp.ClusterGetter(cs), dep, loginSettings...)
	in := &Installation{Deployment: dep, Service: svc, Settings: settings, Unresolved: err}
	in.IDPCA, err = headlamp.ReadIDPCA(ctx, cs, settings)
	in.Unresolved = errors.Join(in.Unresolved, err)
	return in, nil
}
