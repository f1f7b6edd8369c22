package headlampview

import (
	"context"
	"errors"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// Model is the Headlamp Deployment as read once per run: the checks' view of it, the model's
// Settings (for the identity checks' expectation) and the client secret, kept out of the view so that
// only the facts that must send it to the IdP ever hold it.
type Model struct {
	// Deployment is the Headlamp Deployment as read.
	Deployment   *appsv1.Deployment
	View         View
	Settings     headlamp.Settings
	ClientSecret oidc.Secret
	// IDPCA is the IdP CA as planned, for a model install is about to write (DesiredFacts); nil
	// when the CA is to be read from the object the Deployment mounts.
	IDPCA []byte
}

// read finds the Headlamp Deployment and reads it through pkg/headlamp, resolving Secret and
// ConfigMap references.
func read(ctx context.Context, env area.Env) (Model, error) {
	dep, err := headlamp.Find(ctx, env.Kube, env.Namespace, env.HeadlampName)
	switch {
	case errors.Is(err, headlamp.ErrNoHeadlamp), apierrors.IsNotFound(err):
		return Model{}, missingHeadlamp(ctx, env, err)
	case err != nil:
		return Model{}, area.WrapAccess(area.Access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: env.Namespace}, err)
	}
	g := &recordingGetter{next: headlamp.ClusterGetter(env.Kube), failed: map[headlamp.KeyRef]error{}}
	s, secrets, err := headlamp.Resolve(ctx, g, dep)
	v := view(dep, s)
	v.OIDC.ClientSecretSet = secrets.ClientSecret != ""
	v.Unresolved = withoutFailedReads(err, g.failed)
	v.Unreadable = unreadableSettings(dep, g.failed)
	return Model{Deployment: dep, View: v, Settings: s, ClientSecret: oidc.NewSecret(secrets.ClientSecret)}, nil
}

// view keeps what the checks need from the model.
func view(dep *appsv1.Deployment, s headlamp.Settings) View {
	v := settingsView(s)
	v.Owner, v.Rollout, v.Strategy = owner(dep), kube.RolloutStatus(dep), strategyOf(dep, s.Replicas)
	if dep.Spec.Selector != nil {
		v.Selector = dep.Spec.Selector.MatchLabels
	}
	return v
}

// settingsView is the part of the view the settings alone say.
func settingsView(s headlamp.Settings) View {
	v := View{
		Namespace: s.Namespace, Name: s.Name, Replicas: s.Replicas, ServiceAccount: s.ServiceAccount, InCluster: s.InCluster,
		APIHost: s.Proxy.APIHost(), APIPort: s.Proxy.Port,
		InsecureSSL: s.InsecureSSL || s.OIDC.SkipTLSVerify, UnsafeToken: s.UnsafeServiceAccountToken,
		Image: s.Image, UnknownFlags: s.UnknownFlags,
		OIDC: OIDC{IssuerURL: s.OIDC.IssuerURL, ClientID: s.OIDC.ClientID, ValidatorClientID: s.OIDC.ValidatorClientID,
			ValidatorIssuerURL: s.OIDC.ValidatorIssuerURL, Scopes: s.OIDC.Scopes},
	}
	if ca := s.Proxy.CA; ca != nil {
		v.ProxyCA = &CARef{Kind: ca.Kind, Name: ca.Name, Key: ca.Key}
	}
	return v
}

func owner(dep *appsv1.Deployment) string {
	o := headlamp.OwnerOf(dep)
	switch {
	case o.Ours():
		return "installed by kubectl capsule-headlamp"
	case o.HelmRelease != "":
		return "Helm release " + o.HelmRelease
	case o.Manager != "":
		return "managed by " + o.Manager
	}
	return ""
}
