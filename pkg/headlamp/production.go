package headlamp

import (
	"maps"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Resources are the requests and limits of Headlamp's container.
type Resources struct {
	Requests corev1.ResourceList `json:"requests,omitempty"`
	Limits   corev1.ResourceList `json:"limits,omitempty"`
}

// DefaultResources are the requests and limits of a new installation. The requests are the values
// the official chart suggests in its values.yaml (resources: requests and limits of 100m CPU and
// 128Mi memory, commented out there). The limits leave room above them: Headlamp keeps every
// session and refresh token in pod memory, so an OOM kill signs every user out, and each signed-in
// user holds a websocket multiplexer with its watches; the CPU limit only bounds a runaway.
func DefaultResources() Resources {
	return Resources{
		Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("100m"),
			corev1.ResourceMemory: resource.MustParse("128Mi"),
		},
		Limits: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("500m"),
			corev1.ResourceMemory: resource.MustParse("512Mi"),
		},
	}
}

// Gateway is the Gateway API Gateway an HTTPRoute attaches Headlamp to, and the host it serves.
type Gateway struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Host      string `json:"host"`
}

// NetworkPolicy is what the NetworkPolicy for Headlamp's pods lets through besides DNS: traffic to
// capsule-proxy's pods and to the IdP. install fills it from capsule-proxy's Service and the IdP's
// addresses as resolved when it runs.
type NetworkPolicy struct {
	// ProxySelector selects capsule-proxy's pods (its Service's selector) in Proxy.Namespace.
	ProxySelector map[string]string `json:"proxySelector,omitempty"`
	// ProxyPort is the pods' port behind the Service port (its target port, a number or a name).
	ProxyPort intstr.IntOrString `json:"proxyPort,omitzero"`
	// IDP are the addresses and ports of the IdP (issuer and validator issuer).
	IDP []Peer `json:"idp,omitempty"`
}

// Peer is one address block and TCP port Headlamp may connect to.
type Peer struct {
	CIDR string `json:"cidr"`
	Port int32  `json:"port"`
}

// Objects and settings of the production options.
const (
	// TokenAudience is the audience of the ServiceAccount token projected into Headlamp's pod.
	// Headlamp needs the token file to exist to start in-cluster, but with OIDC it never sends it;
	// a name under the reserved .invalid domain (RFC 2606) is accepted by no API server or other
	// service, so the token is useless to whoever reads it from the pod.
	TokenAudience = "kubectl-capsule-headlamp.invalid" //nolint:gosec // an audience name, not a credential

	// DNSNamespace and DNSLabel select the cluster DNS pods: kube-dns and CoreDNS deployments
	// (kubeadm, kind, GKE, EKS, AKS) label them k8s-app=kube-dns in kube-system.
	DNSNamespace = "kube-system"
	DNSLabel     = "k8s-app"
	DNSLabelVal  = "kube-dns"
	// LabelNamespaceName is set by the API server on every namespace to its name.
	LabelNamespaceName = "kubernetes.io/metadata.name"

	// GatewayGroup and GatewayVersion are the Gateway API's group and the version install writes.
	GatewayGroup   = "gateway.networking.k8s.io"
	GatewayVersion = "v1"
	KindHTTPRoute  = "HTTPRoute"
	KindGateway    = "Gateway"
)

// TenantAccessName is the Role and RoleBinding that let tenants read what login needs.
func TenantAccessName(name string) string { return name + "-tenant-access" }

// NewIDPCA is the IdP CA of an installation called name, trusted as trust: our ConfigMap mounted
// as a folder beside the system roots (TrustAppend), or its file as -oidc-ca-file (TrustReplace).
func NewIDPCA(name string, trust Trust) *CA {
	path := IDPCADir
	if trust == TrustReplace {
		path += "/" + CAKey
	}
	return &CA{From: KeyRef{Kind: KindConfigMap, Name: IDPCAConfigMapName(name), Key: CAKey}, Trust: trust, Path: path}
}

// Overlay returns r with the requests and limits named in over replacing r's.
func (r Resources) Overlay(over Resources) Resources {
	out := Resources{Requests: maps.Clone(r.Requests), Limits: maps.Clone(r.Limits)}
	for name, q := range over.Requests {
		if out.Requests == nil {
			out.Requests = corev1.ResourceList{}
		}
		out.Requests[name] = q
	}
	for name, q := range over.Limits {
		if out.Limits == nil {
			out.Limits = corev1.ResourceList{}
		}
		out.Limits[name] = q
	}
	return out
}
