package headlamp

import (
	"fmt"
	"time"
)

// Settings describe one Headlamp deployment behind capsule-proxy. They never hold a secret value:
// the OIDC client secret is referenced, and its value travels separately (Material, Secrets).
type Settings struct {
	Namespace string `json:"namespace"`
	// Name of the Deployment; also the Service, ServiceAccount and the prefix of our other objects.
	Name           string `json:"name"`
	Image          string `json:"image"`
	Replicas       int32  `json:"replicas"`
	ServiceAccount string `json:"serviceAccount"`
	// ImagePullSecrets name the Secrets in Namespace the kubelet pulls Image with.
	ImagePullSecrets []string `json:"imagePullSecrets,omitempty"`
	// Resources of Headlamp's container.
	Resources Resources `json:"resources,omitzero"`

	// InCluster is Headlamp's -in-cluster: use the pod's service account folder and API host env.
	InCluster bool `json:"inCluster"`
	// InClusterContextName is the cluster name in Headlamp's URLs (/c/main/...).
	InClusterContextName string `json:"inClusterContextName,omitempty"`
	// SessionTTL is -session-ttl: how long Headlamp keeps a signed-in session (0: its default,
	// DefaultSessionTTL).
	SessionTTL time.Duration `json:"sessionTTL,omitempty"`
	// BaseURL is the path prefix Headlamp serves under ("" or starting with "/").
	BaseURL string `json:"baseURL,omitempty"`

	OIDC  OIDC  `json:"oidc"`
	Proxy Proxy `json:"proxy"`

	// InsecureSSL is -insecure-ssl: no TLS verification towards the IdP during login. Never set by install.
	InsecureSSL bool `json:"insecureSSL,omitempty"`
	// UnsafeServiceAccountToken is -unsafe-use-service-account-token: every user acts as the pod's
	// service account. Never set by install; with Capsule it defeats tenant isolation.
	UnsafeServiceAccountToken bool `json:"unsafeServiceAccountToken,omitempty"`

	// Ingress exposes Headlamp; nil for none. Parse never fills it (it lives outside the Deployment).
	Ingress *Ingress `json:"ingress,omitempty"`
	// Gateway exposes Headlamp through an HTTPRoute instead; nil for none. Parse never fills it.
	Gateway *Gateway `json:"gateway,omitempty"`
	// NetworkPolicy, when set, limits Headlamp's traffic. Parse never fills it.
	NetworkPolicy *NetworkPolicy `json:"networkPolicy,omitempty"`
	// TenantAccess are the groups allowed to read what login needs; Parse never fills it.
	TenantAccess []string `json:"tenantAccess,omitempty"`

	// UnknownFlags are the flags ("-oidc-scope") and HEADLAMP_CONFIG_* variables Parse found that
	// Headlamp does not define (KnownFlag): on the command line Headlamp refuses to start, in the
	// environment it ignores them.
	UnknownFlags []string `json:"unknownFlags,omitempty"`

	// Sources tells where each setting read by Parse comes from; empty for Settings made by New.
	Sources Sources `json:"sources,omitempty"`
}

// OIDC are Headlamp's -oidc-* settings.
type OIDC struct {
	IssuerURL string `json:"issuerURL,omitempty"`
	ClientID  string `json:"clientID,omitempty"`
	// ClientSecret is where the client secret lives; nil when unset or given as a literal (see Sources).
	ClientSecret *KeyRef `json:"clientSecret,omitempty"`
	// Scopes as Headlamp splits them (on commas); Headlamp adds openid itself.
	Scopes             []string `json:"scopes,omitempty"`
	CallbackURL        string   `json:"callbackURL,omitempty"`
	ValidatorClientID  string   `json:"validatorClientID,omitempty"`
	ValidatorIssuerURL string   `json:"validatorIssuerURL,omitempty"`
	UseAccessToken     bool     `json:"useAccessToken,omitempty"`
	UsePKCE            bool     `json:"usePKCE,omitempty"`
	SkipTLSVerify      bool     `json:"skipTLSVerify,omitempty"`
	// CA is a private CA for the IdP; nil when the IdP has a publicly trusted certificate.
	CA *CA `json:"ca,omitempty"`
}

// Session is how long Headlamp keeps a signed-in session: -session-ttl, else its default.
func (s Settings) Session() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return DefaultSessionTTL
}

// Enabled reports whether Headlamp switches in-cluster OIDC on: it needs client id, issuer and scopes.
func (o OIDC) Enabled() bool {
	return o.ClientID != "" && o.IssuerURL != "" && len(o.Scopes) > 0
}

// Trust says how the IdP CA is trusted.
type Trust string

const (
	// TrustAppend adds the CA to the system roots through SSL_CERT_DIR: public IdPs keep working.
	TrustAppend Trust = "ssl-cert-dir"
	// TrustReplace passes the CA as -oidc-ca-file: it becomes the only root for IdP calls.
	TrustReplace Trust = "oidc-ca-file"
	// TrustCertFile sets SSL_CERT_FILE: it replaces the system bundle file (found by Parse only).
	TrustCertFile Trust = "ssl-cert-file"
	// TrustStore mounts a volume over the system trust store folder, as the Capsule guide's init
	// container does (found by Parse only).
	TrustStore Trust = "trust-store-volume"
)

// CA is a CA certificate Headlamp's pod reads from a file.
type CA struct {
	// From is the ConfigMap or Secret key holding the PEM; Key is empty when every key of the object
	// is mounted (a whole-object volume).
	From  KeyRef `json:"from"`
	Trust Trust  `json:"trust"`
	// Path is the folder (TrustAppend) or file (TrustReplace) inside the container.
	Path string `json:"path"`
}

// Proxy is the capsule-proxy Headlamp talks to instead of the API server.
type Proxy struct {
	Service   string `json:"service,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Port      int32  `json:"port,omitempty"`
	// Host is KUBERNETES_SERVICE_HOST as found when it is not <service>.<namespace>.svc; install
	// leaves it empty.
	Host string `json:"host,omitempty"`
	// Secret is capsule-proxy's TLS Secret in Namespace, the origin of its CA (install input).
	Secret string `json:"secret,omitempty"`
	// SecretKey is the key of Secret that holds the CA: ca.crt (cert-manager) or ca (certgen).
	SecretKey string `json:"secretKey,omitempty"`
	// CA is what the pod projects as ca.crt into the service account folder.
	CA *KeyRef `json:"ca,omitempty"`
	// CopyCA means install copies the CA certificate from Secret into the ConfigMap CA names,
	// because Headlamp lives in another namespace than the proxy.
	CopyCA bool `json:"copyCA,omitempty"`
}

// APIHost is the host Headlamp connects to: Host, or the Service's cluster DNS name, which is one of
// capsule-proxy's certificate SANs.
func (p Proxy) APIHost() string {
	if p.Host != "" || p.Service == "" {
		return p.Host
	}
	return fmt.Sprintf("%s.%s.svc", p.Service, p.Namespace)
}

// Ingress exposes Headlamp through an Ingress.
type Ingress struct {
	Host      string `json:"host"`
	ClassName string `json:"className,omitempty"`
	TLSSecret string `json:"tlsSecret,omitempty"`
}

// KeyRef points at one key of a Secret or ConfigMap in the Headlamp namespace.
type KeyRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Key  string `json:"key,omitempty"`
}

// Kinds of KeyRef.
const (
	KindSecret    = "Secret"
	KindConfigMap = "ConfigMap"
)

// String reads like "Secret oidc key scopes".
func (r KeyRef) String() string {
	if r.Key == "" {
		return fmt.Sprintf("%s %s", r.Kind, r.Name)
	}
	return fmt.Sprintf("%s %s key %s", r.Kind, r.Name, r.Key)
}

// New returns the Settings of a fresh installation in namespace, with the plugin's defaults: one
// replica, in-cluster mode with context "main", the default scopes, capsule-proxy's default Service,
// and the client secret in our OIDC Secret.
func New(namespace string) Settings {
	return Settings{
		Namespace:            namespace,
		Name:                 DefaultName,
		Image:                DefaultImage,
		Replicas:             1,
		ServiceAccount:       DefaultName,
		Resources:            DefaultResources(),
		InCluster:            true,
		InClusterContextName: DefaultInClusterContextName,
		OIDC: OIDC{
			ClientID:     DefaultClientID,
			ClientSecret: &KeyRef{Kind: KindSecret, Name: SecretName(DefaultName), Key: SecretKeyClientSecret},
			Scopes:       append([]string(nil), DefaultScopes...),
		},
		Proxy: Proxy{
			Service:   DefaultProxyService,
			Namespace: DefaultProxyNamespace,
			Port:      DefaultProxyPort,
			Secret:    DefaultProxySecret,
		},
	}
}

// TrustProxyCA decides how the pod gets capsule-proxy's CA, given the key of the proxy Secret that
// holds it (ca.crt or ca) and an optional trust-manager bundle ConfigMap reference. In the proxy's
// namespace the Secret is projected directly; elsewhere a bundle is used when given, else a copy.
func (s *Settings) TrustProxyCA(secretKey string, bundle *KeyRef) {
	s.Proxy.SecretKey = secretKey
	switch {
	case s.Namespace == s.Proxy.Namespace:
		s.Proxy.CA = &KeyRef{Kind: KindSecret, Name: s.Proxy.Secret, Key: secretKey}
		s.Proxy.CopyCA = false
	case bundle != nil:
		ref := *bundle
		s.Proxy.CA = &ref
		s.Proxy.CopyCA = false
	default:
		s.Proxy.CA = &KeyRef{Kind: KindConfigMap, Name: ProxyCACopyName(s.Name), Key: CAKey}
		s.Proxy.CopyCA = true
	}
}
