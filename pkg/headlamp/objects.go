package headlamp

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"
)

// Material is what Build needs besides Settings: the secret and the CA certificates. It is kept out of
// Settings so that Settings can be printed.
type Material struct {
	// ClientSecret is the OIDC client secret; it goes into our Secret only.
	ClientSecret string
	// ProxyCA is capsule-proxy's CA certificate (PEM): copied when Proxy.CopyCA, and hashed.
	ProxyCA []byte
	// IDPCA is the IdP's CA (PEM) when Settings.OIDC.CA is set.
	IDPCA []byte
}

// Objects are the namespaced objects of one installation, as server-side apply configurations
// (the HTTPRoute as an unstructured object). Optional ones are nil. There is no cluster-scoped
// object and nothing grants Headlamp's ServiceAccount anything: Headlamp acts with the users' own
// tokens through capsule-proxy. The only role binding is the tenants' read access (TenantAccess).
type Objects struct {
	ServiceAccount *corev1ac.ServiceAccountApplyConfiguration
	NetworkPolicy  *networkingv1ac.NetworkPolicyApplyConfiguration
	OIDCConfig     *corev1ac.ConfigMapApplyConfiguration
	Secret         *corev1ac.SecretApplyConfiguration
	IDPCA          *corev1ac.ConfigMapApplyConfiguration
	ProxyCA        *corev1ac.ConfigMapApplyConfiguration
	Deployment     *appsv1ac.DeploymentApplyConfiguration
	Service        *corev1ac.ServiceApplyConfiguration
	Ingress        *networkingv1ac.IngressApplyConfiguration
	HTTPRoute      *unstructured.Unstructured
	Role           *rbacv1ac.RoleApplyConfiguration
	RoleBinding    *rbacv1ac.RoleBindingApplyConfiguration
}

// Build turns Settings and Material into the objects of an installation. It is pure: the same input
// gives the same objects, which is what makes a second install a no-op.
func Build(s Settings, m Material) (Objects, error) {
	if err := buildable(s, m); err != nil {
		return Objects{}, err
	}
	hash, err := configHash(s, m)
	if err != nil {
		return Objects{}, err
	}
	o := Objects{
		ServiceAccount: serviceAccount(s),
		OIDCConfig:     oidcConfigMap(s),
		Secret:         oidcSecret(s, m),
		Deployment:     deployment(s, m, hash),
		Service:        service(s),
	}
	if s.OIDC.CA != nil {
		o.IDPCA = caConfigMap(s, IDPCAConfigMapName(s.Name), m.IDPCA)
	}
	if s.Proxy.CopyCA {
		o.ProxyCA = caConfigMap(s, s.Proxy.CA.Name, m.ProxyCA)
	}
	if s.Ingress != nil {
		o.Ingress = ingress(s)
	}
	if s.Gateway != nil {
		o.HTTPRoute = httpRoute(s)
	}
	if s.NetworkPolicy != nil {
		o.NetworkPolicy = networkPolicy(s)
	}
	if len(s.TenantAccess) > 0 {
		o.Role, o.RoleBinding = tenantRole(s), tenantRoleBinding(s)
	}
	return o, nil
}

// buildable lists what Build cannot do without, all at once.
func buildable(s Settings, m Material) error {
	var errs []error
	if s.Namespace == "" || s.Name == "" || s.Image == "" {
		errs = append(errs, errors.New("namespace, name and image are required"))
	}
	if s.Proxy.CA == nil {
		errs = append(errs, errors.New("the proxy CA source is not decided (call TrustProxyCA)"))
	}
	if s.Proxy.CopyCA && len(m.ProxyCA) == 0 {
		errs = append(errs, errors.New("the proxy CA must be copied but no CA certificate was given"))
	}
	if s.OIDC.CA != nil && len(m.IDPCA) == 0 {
		errs = append(errs, errors.New("an IdP CA is configured but no CA certificate was given"))
	}
	if s.Proxy.APIHost() == "" || s.Proxy.Port == 0 {
		errs = append(errs, errors.New("the proxy service, namespace and port are required"))
	}
	errs = append(errs, buildableExposure(s)...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("build Headlamp objects: %w", err)
	}
	return nil
}

// buildableExposure checks the objects around the pod: one way in, and a network policy that knows
// capsule-proxy's pods.
func buildableExposure(s Settings) []error {
	var errs []error
	if s.Ingress != nil && s.Gateway != nil {
		errs = append(errs, errors.New("an Ingress and a Gateway route exclude each other"))
	}
	if np := s.NetworkPolicy; np != nil && (len(np.ProxySelector) == 0 || np.ProxyPort.String() == "0") {
		errs = append(errs, errors.New("the network policy needs capsule-proxy's pod selector and port"))
	}
	return errs
}

// Labels are the labels of every object of an installation.
func Labels(s Settings) map[string]string {
	return map[string]string{LabelName: AppName, LabelInstance: s.Name, LabelManagedBy: ManagedBy}
}

// SelectorLabels select the Headlamp pods of an installation.
func SelectorLabels(s Settings) map[string]string {
	return map[string]string{LabelName: AppName, LabelInstance: s.Name}
}

// RedactedValue replaces the client secret in objects that are printed.
const RedactedValue = "REDACTED"

// Redacted returns the objects with the client secret replaced by RedactedValue, for printing. The
// Deployment keeps the hash of the real secret, so it is the one that would be applied.
func (o Objects) Redacted(s Settings) Objects {
	ref := s.OIDC.ClientSecret
	if o.Secret == nil || ref == nil || ref.Kind != KindSecret || o.Secret.Name == nil || *o.Secret.Name != ref.Name {
		return o
	}
	if _, ok := o.Secret.Data[ref.Key]; !ok {
		return o
	}
	secret := *o.Secret
	secret.Data = make(map[string][]byte, len(o.Secret.Data))
	for k, v := range o.Secret.Data {
		secret.Data[k] = v
	}
	secret.Data[ref.Key] = []byte(RedactedValue)
	o.Secret = &secret
	return o
}
