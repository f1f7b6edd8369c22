package build

// KubernetesVersion is the version of the control-plane binaries and kubectl.
const KubernetesVersion = "v1.37.2"

// k8sVersionLDFlags stamps the version into component-base and client-go, else /version and
// `kubectl version` report v0.0.0-master.
const k8sVersionLDFlags = "-X k8s.io/component-base/version.gitVersion=" + KubernetesVersion +
	" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37" +
	" -X k8s.io/component-base/version.gitTreeState=clean" +
	" -X k8s.io/client-go/pkg/version.gitVersion=" + KubernetesVersion +
	" -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=37" +
	" -X k8s.io/client-go/pkg/version.gitTreeState=clean"

// Binary is one executable built from a Go main package.
type Binary struct {
	Name    string // file name in the component's cache folder
	Package string // import path of the main package
}

// Asset is a set of files copied out of a module's zip next to the binaries.
type Asset struct {
	Module string   // module path, resolved in the tools module
	Files  []string // paths inside the module; a trailing "/" copies every .yaml file of that folder
	Dest   string   // folder under the component's cache folder
}

// Component is one upstream project built from its own tools module (tools/<Name>).
type Component struct {
	Name     string
	Version  string
	Binaries []Binary
	LDFlags  string
	Assets   []Asset
}

// Key names the component's cache folder: a new version gets a new folder.
func (c Component) Key() string { return c.Name + "-" + c.Version }

// Components lists everything the sandbox builds, cheapest first so that quick failures show early.
func Components() []Component {
	return []Component{
		{Name: "etcd", Version: "v3.6.16", Binaries: []Binary{{"etcd", "go.etcd.io/etcd/server/v3"}}},
		{Name: "dex", Version: "v2.45.1", Binaries: []Binary{{"dex", "github.com/dexidp/dex/cmd/dex"}}},
		{
			Name: "kwok", Version: "v0.8.0",
			Binaries: []Binary{{"kwok", "sigs.k8s.io/kwok/cmd/kwok"}},
			Assets: []Asset{{Module: "sigs.k8s.io/kwok", Dest: "stages", Files: []string{
				"kustomize/stage/node/fast/node-initialize.yaml",
				"kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
				"kustomize/stage/pod/fast/pod-ready.yaml",
				"kustomize/stage/pod/fast/pod-complete.yaml",
				"kustomize/stage/pod/fast/pod-delete.yaml",
			}}},
		},
		{
			Name: "capsule", Version: "v0.14.0",
			Binaries: []Binary{{"capsule", "github.com/projectcapsule/capsule/cmd/controller"}},
			Assets: []Asset{{Module: "github.com/projectcapsule/capsule", Dest: "crds",
				Files: []string{"charts/capsule/crds/"}}},
		},
		{
			Name: "kubernetes", Version: KubernetesVersion, LDFlags: k8sVersionLDFlags,
			Binaries: []Binary{
				{"kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver"},
				{"kube-controller-manager", "k8s.io/kubernetes/cmd/kube-controller-manager"},
				{"kube-scheduler", "k8s.io/kubernetes/cmd/kube-scheduler"},
				{"kubectl", "k8s.io/kubernetes/cmd/kubectl"},
			},
		},
	}
}
