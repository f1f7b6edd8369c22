package stack

import (
	"fmt"
	"strconv"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
)

// Component names, in start order. Stop goes in reverse: the API server before etcd, which it would
// otherwise wait on for more than 30 s.
const (
	Etcd          = "etcd"
	Dex           = "dex"
	APIServer     = "kube-apiserver"
	ControllerMgr = "kube-controller-manager"
	Scheduler     = "kube-scheduler"
	Kwok          = "kwok"
	Capsule       = "capsule"
	ProxyStandin  = "capsule-proxy"
	HeadlampStand = "headlamp"
)

func addr(port int) string { return Host + ":" + strconv.Itoa(port) }

func (s *Stack) spec(name string) (proc.Spec, error) {
	l, bin := s.layout, s.bins.Bin
	sp := proc.Spec{Name: name, LogFile: l.Log(name)}
	switch name {
	case Etcd:
		sp.Path = bin("etcd", "etcd")
		sp.Args = []string{"--name=local", "--data-dir=" + l.Path("etcd", "data"),
			"--listen-client-urls=http://" + addr(EtcdClientPort), "--advertise-client-urls=http://" + addr(EtcdClientPort),
			"--listen-peer-urls=http://" + addr(EtcdPeerPort), "--initial-advertise-peer-urls=http://" + addr(EtcdPeerPort),
			"--initial-cluster=local=http://" + addr(EtcdPeerPort), "--unsafe-no-fsync", "--log-level=warn"}
	case Dex:
		sp.Path = bin("dex", "dex")
		sp.Args = []string{"serve", l.Path("dex", "config.yaml")}
	case APIServer:
		sp.Path = bin("kubernetes", "kube-apiserver")
		sp.Args = s.apiserverArgs()
	case ControllerMgr:
		sp.Path = bin("kubernetes", "kube-controller-manager")
		sp.Args = append(componentArgs(l, "kcm", ControllerMgrPort),
			"--service-account-private-key-file="+l.PKI("sa.key"), "--root-ca-file="+l.PKI("cluster-ca.crt"),
			"--controllers="+kcmControllers)
	case Scheduler:
		sp.Path = bin("kubernetes", "kube-scheduler")
		sp.Args = componentArgs(l, "scheduler", SchedulerPort)
	case Kwok:
		sp.Path = bin("kwok", "kwok")
		sp.Args = []string{"--kubeconfig=" + l.AdminKubeconfig(), "--config=" + l.Path("kwok", "kwok.yaml"),
			"--manage-all-nodes=false", "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
			"--node-ip=" + Host, "--node-port=" + strconv.Itoa(KwokPort), "--server-address=" + addr(KwokPort),
			"--cidr=10.244.0.0/16", "--tls-cert-file=" + l.PKI("kwok.crt"), "--tls-private-key-file=" + l.PKI("kwok.key"),
			"--enable-crds=" + kwokCRDs}
	case Capsule:
		sp.Path = bin("capsule", "capsule")
		sp.Args = []string{"--metrics-addr=" + addr(CapsuleMetricsPort), "--webhook-port=" + strconv.Itoa(CapsuleWebhookPort),
			"--webhook-cert-path=" + l.Path("capsule"), "--configuration-name=" + CapsuleConfigName}
		sp.Env = []string{"NAMESPACE=" + CapsuleNamespace, "SERVICE_ACCOUNT=capsule", "KUBECONFIG=" + l.AdminKubeconfig()}
	default:
		return proc.Spec{}, fmt.Errorf("unknown component %q", name)
	}
	return sp, nil
}

// kcmControllers are the controllers the sandbox needs: role aggregation (the admin/edit/view roles are
// empty without it), namespaces, garbage collection, service accounts, rollouts. The node lifecycle
// controller is left out on purpose: it would mark the fake node unreachable while a fault knob
// restarts the API server (and the TaintNodesByCondition admission it pairs with is disabled).
const kcmControllers = "clusterrole-aggregation-controller,namespace-controller,garbage-collector-controller," +
	"serviceaccount-controller,serviceaccount-token-controller,deployment-controller,replicaset-controller," +
	"endpointslice-controller,root-ca-certificate-publisher-controller"

func componentArgs(l Layout, dir string, port int) []string {
	kc := l.AdminKubeconfig()
	return []string{"--kubeconfig=" + kc, "--authentication-kubeconfig=" + kc, "--authorization-kubeconfig=" + kc,
		"--bind-address=" + Host, "--secure-port=" + strconv.Itoa(port), "--leader-elect=false",
		"--cert-dir=" + l.Path(dir)}
}

// apiserverArgs: --advertise-address must be given inside a network namespace without routes, and a
// loopback one needs --endpoint-reconciler-type=none.
func (s *Stack) apiserverArgs() []string {
	l := s.layout
	return []string{
		"--etcd-servers=http://" + addr(EtcdClientPort), "--bind-address=" + Host, "--secure-port=" + strconv.Itoa(APIServerPort),
		"--advertise-address=" + Host, "--endpoint-reconciler-type=none",
		"--tls-cert-file=" + l.PKI("apiserver.crt"), "--tls-private-key-file=" + l.PKI("apiserver.key"),
		"--client-ca-file=" + l.PKI("cluster-ca.crt"), "--kubelet-certificate-authority=" + l.PKI("cluster-ca.crt"), "--kubelet-preferred-address-types=InternalIP",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + l.PKI("sa.pub"), "--service-account-signing-key-file=" + l.PKI("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24", "--authorization-mode=Node,RBAC",
		"--authentication-config=" + l.AuthConfig(), "--enable-admission-plugins=PodSecurity", "--disable-admission-plugins=TaintNodesByCondition",
		"--allow-privileged=true", "--cert-dir=" + l.Path("apiserver"),
	}
}
