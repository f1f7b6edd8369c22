package headlamp

import "time"

// Labels every object we create carries. The selector uses only the name and instance labels, the same
// pair the official chart uses, so the Deployment's immutable selector matches the chart's for a
// release named like ours.
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelManagedBy = "app.kubernetes.io/managed-by"

	// AppName is the value of LabelName for Headlamp, ours and the chart's.
	AppName = "headlamp"
	// ManagedBy is the value of LabelManagedBy on our objects, and the server-side apply field manager.
	ManagedBy = "kubectl-capsule-headlamp"
	// ManagedByHelm is the value of LabelManagedBy on objects a Helm release owns.
	ManagedByHelm = "Helm"

	// AnnotationHelmRelease and AnnotationHelmNamespace name the Helm release that owns an object.
	AnnotationHelmRelease   = "meta.helm.sh/release-name"
	AnnotationHelmNamespace = "meta.helm.sh/release-namespace"

	// AnnotationConfigHash on the pod template changes whenever CA material or settings change, so
	// that re-running install restarts Headlamp, which reads its CA files only at start.
	AnnotationConfigHash = "capsule-headlamp.projectcapsule.dev/config-hash"

	// AnnotationRestartedAt on the pod template is the time install last restarted Headlamp because
	// what it reads at start was put back to what install writes while the config hash stayed the
	// same (after a manual edit of the Secret and a restart, say), like kubectl rollout restart's.
	AnnotationRestartedAt = "capsule-headlamp.projectcapsule.dev/restarted-at"
	// AnnotationProxyCA on the pod template is the digest of the proxy CA the pods were started with
	// (ProxyCADigest): pods carry it, so doctor can tell a pod that still trusts a rotated-out CA.
	AnnotationProxyCA = "capsule-headlamp.projectcapsule.dev/proxy-ca-sha256"

	// AnnotationProxySecret and AnnotationProxySecretKey on the Deployment record capsule-proxy's
	// Secret (and the key holding its CA) that install verified the proxy CA against, so that a later
	// install keeps them although the pod may project a copy or a bundle instead.
	AnnotationProxySecret    = "capsule-headlamp.projectcapsule.dev/proxy-ca-secret"
	AnnotationProxySecretKey = "capsule-headlamp.projectcapsule.dev/proxy-ca-key"
)

// Defaults of a new installation.
const (
	DefaultName                 = "headlamp"
	DefaultImage                = "ghcr.io/headlamp-k8s/headlamp:v0.45.0"
	DefaultInClusterContextName = "main"
	DefaultClientID             = "headlamp"
	DefaultProxyService         = "capsule-proxy"
	DefaultProxyNamespace       = "capsule-system"
	DefaultProxyPort            = 9001
	DefaultProxySecret          = "capsule-proxy"
)

// DefaultSessionTTL is Headlamp's -session-ttl default (86400 seconds).
const DefaultSessionTTL = 24 * time.Hour

// DefaultScopes are requested at the IdP: offline_access for refresh tokens, groups for Capsule tenants.
// Headlamp prepends openid itself.
var DefaultScopes = []string{"profile", "email", "groups", "offline_access"}

// Container facts of the Headlamp image.
const (
	ContainerName = "headlamp"
	// ContainerPort is where headlamp-server listens.
	ContainerPort = 4466
	// PortName names the container and Service port, as the chart does.
	PortName = "http"
	// ServicePort is the Service's port, the chart's default.
	ServicePort = 80
	// RunAsUser and RunAsGroup are the image's non-root user.
	RunAsUser  = 100
	RunAsGroup = 101
)

// Paths inside the Headlamp container.
const (
	// ServiceAccountDir is where rest.InClusterConfig reads token, ca.crt and namespace.
	ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"
	// SystemCertDir is the image's system trust store folder.
	SystemCertDir = "/etc/ssl/certs"
	// IDPCADir is where we mount the IdP CA ConfigMap.
	IDPCADir = "/etc/capsule-headlamp/idp-ca"
	// TmpDir gets an emptyDir because the root filesystem is read-only.
	TmpDir = "/tmp"
)

// Keys of the CA files, of our OIDC ConfigMap (the settings tenants may read) and of our OIDC
// Secret (the client secret only). They are the keys the official chart uses for its own oidc
// Secret, so all read alike; an installation made before the ConfigMap existed keeps every one of
// them in the Secret.
const (
	CAKey = "ca.crt"
	// ProxyCAKeyCertgen is the CA key of a capsule-proxy Secret made by its certgen Job.
	ProxyCAKeyCertgen = "ca"

	SecretKeyClientID           = "clientID"
	SecretKeyClientSecret       = "clientSecret"
	SecretKeyIssuerURL          = "issuerURL"
	SecretKeyScopes             = "scopes"
	SecretKeyCallbackURL        = "callbackURL"
	SecretKeyValidatorClientID  = "validatorClientID"
	SecretKeyValidatorIssuerURL = "validatorIssuerURL"
)

// Environment variables Headlamp's pod reads.
const (
	EnvServiceHost = "KUBERNETES_SERVICE_HOST"
	EnvServicePort = "KUBERNETES_SERVICE_PORT"
	EnvSSLCertDir  = "SSL_CERT_DIR"
	EnvSSLCertFile = "SSL_CERT_FILE"
	// EnvConfigPrefix turns any Headlamp flag into an environment variable: -oidc-scopes is
	// HEADLAMP_CONFIG_OIDC_SCOPES.
	EnvConfigPrefix = "HEADLAMP_CONFIG_"
)

// ProxyCACopyName is the ConfigMap that holds the copy of capsule-proxy's CA certificate when
// Headlamp lives in another namespace than the proxy.
func ProxyCACopyName(name string) string { return name + "-proxy-ca" }

// SecretName is the Secret holding the OIDC client secret of an installation called name.
func SecretName(name string) string { return name + "-oidc" }

// ConfigMapName is the ConfigMap holding the OIDC settings of an installation called name that are
// no secret (client id, issuer, scopes, callback URL): tenants may be allowed to read it.
func ConfigMapName(name string) string { return name + "-oidc" }

// IDPCAConfigMapName is the ConfigMap holding the IdP CA of an installation called name.
func IDPCAConfigMapName(name string) string { return name + "-idp-ca" }
