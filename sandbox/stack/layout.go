package stack

import (
	"os"
	"path/filepath"
)

// Fixed addresses: everything listens on 127.0.0.1 except Capsule's webhook, metrics and health ports,
// which upstream binds on all interfaces (so one sandbox per network namespace).
const (
	Host               = "127.0.0.1"
	DexPort            = 5556
	EtcdClientPort     = 12379
	EtcdPeerPort       = 12380
	APIServerPort      = 16443
	ControllerMgrPort  = 10257
	SchedulerPort      = 10259
	KwokPort           = 10247
	CapsuleWebhookPort = 19443
	CapsuleMetricsPort = 18081
	CapsuleHealthPort  = 10080
	ProxyPort          = 9001 // capsule-proxy stand-in, same port as the real Service
	HeadlampPodPort    = 4466 // Headlamp's container port; each pod's goes to its own stand-in

	IssuerURL    = "https://127.0.0.1:5556/dex"
	APIServerURL = "https://127.0.0.1:16443"
	ProxyURL     = "https://127.0.0.1:9001"

	HeadlampClientID   = "headlamp"
	KubernetesClientID = "kubernetes"
	FakeNodeName       = "kwok-node"
)

// Ports lists every port the sandbox needs, by owner, for the "already in use" check.
var Ports = map[int]string{
	DexPort: "dex", EtcdClientPort: "etcd", EtcdPeerPort: "etcd", APIServerPort: "kube-apiserver",
	ControllerMgrPort: "kube-controller-manager", SchedulerPort: "kube-scheduler", KwokPort: "kwok",
	CapsuleWebhookPort: "capsule", CapsuleMetricsPort: "capsule", CapsuleHealthPort: "capsule",
	ProxyPort: "capsule-proxy stand-in",
}

// Layout names the files under a sandbox's state folder.
type Layout struct{ Dir string }

// Path joins parts under the state folder.
func (l Layout) Path(parts ...string) string {
	return filepath.Join(append([]string{l.Dir}, parts...)...)
}

// PKI returns the path of a file in the pki folder.
func (l Layout) PKI(name string) string { return l.Path("pki", name) }

// Log returns the log file of a component.
func (l Layout) Log(component string) string { return l.Path("logs", component+".log") }

// AdminKubeconfig is the cluster-admin kubeconfig (client certificate, system:masters).
func (l Layout) AdminKubeconfig() string { return l.Path("kubeconfig", "admin.yaml") }

// AuthConfig is the AuthenticationConfiguration file the API server reads.
func (l Layout) AuthConfig() string { return l.Path("apiserver", "authentication-config.yaml") }

// ClientSecretFile holds the headlamp client secret (mode 0600).
func (l Layout) ClientSecretFile() string { return l.Path("dex", "headlamp-client-secret") }

func (l Layout) mkdirs() error {
	for _, d := range []string{"pki", "logs", "kubeconfig", "apiserver", "dex", "etcd", "kcm", "scheduler", "kwok", "capsule"} {
		if err := os.MkdirAll(l.Path(d), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// DefaultStateDir is where the CLI keeps a detached sandbox: ${XDG_STATE_HOME:-~/.local/state}/...
func DefaultStateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "kubectl-capsule-headlamp", "sandbox")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "kubectl-capsule-headlamp-sandbox")
	}
	return filepath.Join(home, ".local", "state", "kubectl-capsule-headlamp", "sandbox")
}
