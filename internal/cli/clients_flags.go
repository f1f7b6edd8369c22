package cli

import (
	"github.com/spf13/pflag"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// requestTimeoutUsage replaces kubectl's help for --request-timeout, whose default ("0": no bound)
// is not this plugin's.
const requestTimeoutUsage = "How long to wait for the API server to answer a single request, like 10s or 2m " +
	"(0 means the default); watches and port-forwards are not bounded"

// describeRequestTimeout makes --help show the bound the clients really apply.
func describeRequestTimeout(fs *pflag.FlagSet) {
	if f := fs.Lookup("request-timeout"); f != nil {
		f.Usage = requestTimeoutUsage
		f.DefValue = kube.DefaultRequestTimeout.String()
	}
}

// checkKubeFlags reports kubectl flags that cannot work as usage errors, before a command uses them:
// a bad --request-timeout, a --kubeconfig that does not read or parse, a --context, --cluster or
// --user the kubeconfig does not have. Commands would otherwise fail later with "load kubeconfig:
// ..." (exit 1). Whether a cluster is selected at all is checked when a command builds a client
// (clusterFlags), so that commands that need none (version --client, completion) do not ask.
func (o *rootOptions) checkKubeFlags() error {
	k := o.kube
	if v := flagValue(k.Timeout); v != "" {
		if _, err := clientcmd.ParseTimeout(v); err != nil {
			return usageErrorf("--request-timeout %q: give a duration like 10s or 2m", v)
		}
	}
	if explicit := flagValue(k.KubeConfig); explicit != "" {
		if err := loadKubeconfigFile(explicit); err != nil {
			return err
		}
	}
	names := map[string]string{"--context": flagValue(k.Context), "--cluster": flagValue(k.ClusterName), "--user": flagValue(k.AuthInfoName)}
	if names["--context"] == "" && names["--cluster"] == "" && names["--user"] == "" {
		return nil
	}
	raw, err := k.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return usageErrorf("read the kubeconfig: %w: fix it, or pass --kubeconfig", err)
	}
	return missingNames(names, raw.Contexts, raw.Clusters, raw.AuthInfos)
}

// missingNames returns a usage error for the first of --context, --cluster and --user naming an
// entry the kubeconfig lacks.
func missingNames[C, K, U any](names map[string]string, contexts map[string]C, clusters map[string]K, users map[string]U) error {
	for _, f := range []struct {
		flag, list string
		found      func(string) bool
	}{
		{"--context", "contexts", func(n string) bool { _, ok := contexts[n]; return ok }},
		{"--cluster", "clusters", func(n string) bool { _, ok := clusters[n]; return ok }},
		{"--user", "users", func(n string) bool { _, ok := users[n]; return ok }},
	} {
		if n := names[f.flag]; n != "" && !f.found(n) {
			return usageErrorf("%s %q: no such entry in the kubeconfig: see `kubectl config get-%s`", f.flag, n, f.list)
		}
	}
	return nil
}

func flagValue(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
