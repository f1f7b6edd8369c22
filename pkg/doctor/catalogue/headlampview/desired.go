package headlampview

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// OwnerPlanned is the owner of a Headlamp install is about to write.
const OwnerPlanned = "to be installed by kubectl capsule-headlamp"

// Desired is the Headlamp install is about to write: its settings (the proxy CA source decided) and
// what goes into its objects besides them. It holds the client secret: never print it.
type Desired struct {
	Settings headlamp.Settings
	// ClientSecret is the client secret the Secret will hold.
	ClientSecret string
	// IDPCA is the IdP CA the pod will trust (PEM), when Settings.OIDC.CA is set.
	IDPCA []byte
	// ProxyCA is capsule-proxy's CA as install copies it, when Settings.Proxy.CopyCA.
	ProxyCA []byte
}

// DesiredFacts are the facts of the Headlamp install is about to write, in place of Facts: the same
// Model, View and projected CA doctor reads from a Deployment, made from the plan, so that the
// pre-install checks judge it in the words doctor judges an installation. A bundle or the proxy
// Secret itself, which install does not write, is read from the cluster as doctor reads it.
func DesiredFacts(env area.Env, d Desired) []engine.Fact {
	v := settingsView(d.Settings)
	v.Owner = OwnerPlanned
	v.Strategy = Strategy{Type: appsv1.RecreateDeploymentStrategyType} // what install writes: one pod at a time
	v.OIDC.ClientSecretSet = d.ClientSecret != ""
	m := Model{View: v, Settings: d.Settings, ClientSecret: oidc.NewSecret(d.ClientSecret), IDPCA: d.IDPCA}
	if m.IDPCA == nil && d.Settings.OIDC.CA != nil {
		m.IDPCA = []byte{} // planned, though none could be read: never the installed one
	}
	return []engine.Fact{
		engine.Define(FactModel, nil, func(context.Context, engine.Facts) (Model, error) { return m, nil }),
		engine.Define(FactView, nil, func(context.Context, engine.Facts) (View, error) { return v, nil }),
		engine.Define(FactCA, nil, func(ctx context.Context, _ engine.Facts) (ProjectedCA, error) {
			return desiredCA(ctx, env, d)
		}),
		// No pod runs the plan yet: what needs one waits for the post-install run.
		engine.Define(FactPods, nil, func(context.Context, engine.Facts) ([]corev1.Pod, error) { return nil, nil }),
		engine.Define(FactEndpoints, nil, func(context.Context, engine.Facts) (Endpoints, error) {
			return Endpoints{List: headlamp.PlannedEndpoints(d.Settings)}, nil
		}),
	}
}

// desiredCA is the CA the pod will project: the copy install writes (named after the proxy Secret's
// key it comes from), else what the cluster holds where the pod will read it.
func desiredCA(ctx context.Context, env area.Env, d Desired) (ProjectedCA, error) {
	px := d.Settings.Proxy
	if px.CA == nil {
		return ProjectedCA{}, nil
	}
	if !px.CopyCA {
		return readProjectedCA(ctx, env, CARef{Kind: px.CA.Kind, Name: px.CA.Name, Key: px.CA.Key})
	}
	pc := ProjectedCA{Ref: CARef{Kind: headlamp.KindSecret, Name: px.Secret, Key: px.SecretKey}, Found: len(d.ProxyCA) > 0}
	if pc.Found {
		pc.Certs, pc.Err = trust.ParseBundle(d.ProxyCA)
	}
	return pc, nil
}
