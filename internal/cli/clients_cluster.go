package cli

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"strings"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// clusterFlags are kubectl's flags as the commands use them: building a client first makes sure the
// kubeconfig loads and selects a cluster. Without a cluster, client-go would quietly talk to
// http://localhost:8080, which is login's own default port: whatever answers there would be
// reported as the cluster.
type clusterFlags struct {
	*genericclioptions.ConfigFlags
	getenv func(string) string
}

// cluster returns the flags every command builds its clients from.
func (o *rootOptions) cluster() clusterFlags {
	return clusterFlags{ConfigFlags: o.kube, getenv: o.getenv}
}

// ToRESTConfig returns the client configuration, or a usage error when the kubeconfig does not load
// or selects no cluster.
func (c clusterFlags) ToRESTConfig() (*rest.Config, error) {
	if err := c.clusterChosen(); err != nil {
		return nil, err
	}
	return c.ConfigFlags.ToRESTConfig()
}

// clusterChosen tells whether a cluster is selected: by --server, by the kubeconfig's context (from
// --context or current-context) naming a cluster with a server, by $KUBERNETES_MASTER (client-go's
// own override), or by running in a pod. A current context the kubeconfig lacks is refused whatever
// else is given, as client-go would refuse it later.
func (c clusterFlags) clusterChosen() error {
	loader := c.ToRawKubeConfigLoader()
	raw, err := loader.RawConfig()
	if err != nil {
		return usageErrorf("read the kubeconfig: %w: fix it, or pass --kubeconfig", err)
	}
	context := cmp.Or(flagValue(c.Context), raw.CurrentContext)
	ctx := raw.Contexts[context]
	if context != "" && ctx == nil {
		return usageErrorf("the kubeconfig's current context %q does not exist (%s): choose one with "+
			"`kubectl config use-context`, or pass --context", context, kubeconfigFiles(loader))
	}
	if flagValue(c.APIServer) != "" || c.getenv("KUBERNETES_MASTER") != "" {
		return nil
	}
	why := "it has no current context"
	if cluster := flagValue(c.ClusterName); cluster != "" || ctx != nil {
		if cluster == "" {
			cluster = ctx.Cluster
		}
		if cl := raw.Clusters[cluster]; cl != nil && cl.Server != "" {
			return nil
		}
		why = fmt.Sprintf("cluster %q has no server", cluster)
	}
	if _, err := rest.InClusterConfig(); err == nil {
		return nil // client-go falls back to the pod's service account, as kubectl does
	}
	return usageErrorf("no cluster is configured: %s in the kubeconfig (%s): choose a context with "+
		"`kubectl config use-context`, or pass --kubeconfig, --context or --server", why, kubeconfigFiles(loader))
}

// kubeconfigFiles names the files the kubeconfig was read from, for messages.
func kubeconfigFiles(loader clientcmd.ClientConfig) string {
	access := loader.ConfigAccess()
	if f := access.GetExplicitFile(); f != "" {
		return f
	}
	var files []string
	for _, f := range access.GetLoadingPrecedence() {
		if _, err := os.Stat(f); err == nil {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return "none found: set KUBECONFIG or create ~/.kube/config"
	}
	return strings.Join(files, ", ")
}

// loadKubeconfigFile checks --kubeconfig: a file that reads and parses as a kubeconfig. The error
// never quotes the file's content (it may hold credentials).
func loadKubeconfigFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return usageErrorf("--kubeconfig: %w: give a readable kubeconfig file", err)
	case st.IsDir():
		return usageErrorf("--kubeconfig %s is a folder: give a kubeconfig file", path)
	}
	if _, err := clientcmd.LoadFromFile(path); err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			return usageErrorf("--kubeconfig: %w: give a readable kubeconfig file", pathErr)
		}
		return usageErrorf("--kubeconfig %s is not a kubeconfig (%w): see `kubectl config view --kubeconfig %s`", path, err, path)
	}
	return nil
}
