// Package headlampview reads the Headlamp Deployment once per run, through pkg/headlamp, into the facts
// the catalogue's areas judge: capsule-proxy's checks (which host and CA Headlamp uses), Headlamp's own,
// the API server's authentication (which issuer and audience) and the identity checks (Headlamp's OIDC
// client). It holds facts, no checks, so that each of those areas may build on it.
package headlampview

import (
	"context"
	"crypto/x509"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// The facts about Headlamp.
const (
	FactModel    engine.Key[Model]                       = "headlamp-model"
	FactView     engine.Key[View]                        = "headlamp"
	FactPods     engine.Key[[]corev1.Pod]                = "headlamp-pods"
	FactCA       engine.Key[ProjectedCA]                 = "headlamp-ca"
	FactBindings engine.Key[[]rbacv1.ClusterRoleBinding] = "headlamp-bindings"
)

// View is what the checks need to know about the Headlamp Deployment, read through pkg/headlamp
// (the one place that knows Headlamp's flags, env and volumes).
type View struct {
	Namespace, Name string
	Owner           string // who manages it, for messages: this plugin, a Helm release, or ""
	Replicas        int32
	// Strategy is how a rollout replaces the pods.
	Strategy Strategy
	// Rollout is the Deployment's rollout status by the one readiness rule (kube.RolloutStatus).
	Rollout        kube.Rollout
	ServiceAccount string
	Selector       map[string]string
	InCluster      bool
	// APIHost and APIPort are KUBERNETES_SERVICE_HOST/PORT as the container sets them ("" / 0: unset,
	// so Headlamp talks to the API server directly).
	APIHost string
	APIPort int32
	// ProxyCA is what the pod projects as ca.crt in the service account folder.
	ProxyCA *CARef
	OIDC    OIDC
	// Image is the container image; UnknownFlags the flags and HEADLAMP_CONFIG_* variables it is given
	// that Headlamp does not define.
	Image        string
	UnknownFlags []string
	InsecureSSL  bool
	UnsafeToken  bool
	// Unresolved lists references (Secret or ConfigMap keys) that do not resolve.
	Unresolved error
	// Unreadable maps each setting held in a Secret or ConfigMap doctor could not read (forbidden,
	// timed out) to that error, which names the access: checks judging such a setting report unknown.
	Unreadable map[headlamp.Setting]error
}

// OIDC is Headlamp's OIDC client configuration (never the client secret itself).
type OIDC struct {
	IssuerURL          string
	ClientID           string
	ValidatorClientID  string
	ValidatorIssuerURL string
	Scopes             []string // split on commas, as Headlamp does
	ClientSecretSet    bool
}

// Enabled mirrors Headlamp: in-cluster OIDC needs client id, issuer and scopes.
func (o OIDC) Enabled() bool {
	return o.ClientID != "" && o.IssuerURL != "" && len(o.Scopes) > 0
}

// Issuer is the issuer Headlamp's tokens carry: the validator issuer when set, else the IdP's.
func (v View) Issuer() string {
	if v.OIDC.ValidatorIssuerURL != "" {
		return v.OIDC.ValidatorIssuerURL
	}
	return v.OIDC.IssuerURL
}

// AudienceClientID is the client id Headlamp verifies tokens for, i.e. the token's audience.
func (o OIDC) AudienceClientID() string {
	if o.ValidatorClientID != "" {
		return o.ValidatorClientID
	}
	return o.ClientID
}

// CARef names the Secret or ConfigMap key a CA comes from.
type CARef struct {
	Kind, Name, Key string
}

func (r CARef) String() string { return fmt.Sprintf("%s %s key %s", r.Kind, r.Name, r.Key) }

// ProjectedCA is the CA Headlamp trusts capsule-proxy with, read from where the pod projects it.
type ProjectedCA struct {
	Ref   CARef
	Found bool // the object and key exist
	Certs []*x509.Certificate
	Err   error // the key's content did not parse
}

// Facts are the facts of the Headlamp Deployment, read with env.
func Facts(env area.Env) []engine.Fact {
	ns := env.Namespace
	return []engine.Fact{
		engine.Define(FactModel, nil, func(ctx context.Context, _ engine.Facts) (Model, error) {
			return read(ctx, env)
		}),
		engine.Define(FactView, []engine.FactName{FactModel.Name()}, func(_ context.Context, in engine.Facts) (View, error) {
			m, err := FactModel.Get(in)
			return m.View, err
		}),
		engine.Define(FactPods, []engine.FactName{FactView.Name()}, func(ctx context.Context, in engine.Facts) ([]corev1.Pod, error) {
			h, err := FactView.Get(in)
			if err != nil {
				return nil, err
			}
			sel := labels.SelectorFromSet(h.Selector).String()
			list, err := env.Kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: sel})
			if err != nil {
				return nil, area.WrapAccess(area.Access{Verb: "list", Resource: "pods", Namespace: ns}, err)
			}
			return list.Items, nil
		}),
		engine.Define(FactCA, []engine.FactName{FactView.Name()}, func(ctx context.Context, in engine.Facts) (ProjectedCA, error) {
			h, err := FactView.Get(in)
			if err != nil || h.ProxyCA == nil {
				return ProjectedCA{}, err
			}
			return readProjectedCA(ctx, env, *h.ProxyCA)
		}),
		endpointsFact(env),
		engine.Define(FactBindings, nil, func(ctx context.Context, _ engine.Facts) ([]rbacv1.ClusterRoleBinding, error) {
			list, err := env.Kube.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{})
			if err != nil {
				return nil, area.WrapAccess(area.Access{Verb: "list", Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings"}, err)
			}
			return list.Items, nil
		}),
		hpaFact(env),
	}
}

func readProjectedCA(ctx context.Context, env area.Env, ref CARef) (ProjectedCA, error) {
	pc := ProjectedCA{Ref: ref}
	var data []byte
	var ok bool
	switch ref.Kind {
	case "Secret":
		sec, err := env.Kube.CoreV1().Secrets(env.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if area.NotFound(err) {
			return pc, nil
		}
		if err != nil {
			return pc, area.WrapAccess(area.Access{Verb: "get", Resource: "secrets", Namespace: env.Namespace, Name: ref.Name}, err)
		}
		data, ok = sec.Data[ref.Key]
	default:
		cm, err := env.Kube.CoreV1().ConfigMaps(env.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if area.NotFound(err) {
			return pc, nil
		}
		if err != nil {
			return pc, area.WrapAccess(area.Access{Verb: "get", Resource: "configmaps", Namespace: env.Namespace, Name: ref.Name}, err)
		}
		var s string
		s, ok = cm.Data[ref.Key]
		data = []byte(s)
	}
	if !ok {
		return pc, nil
	}
	pc.Found = true
	pc.Certs, pc.Err = trust.ParseBundle(data)
	return pc, nil
}
