package cli

import (
	"os"

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
// a bad --request-timeout, an unreadable --kubeconfig, a --context, --cluster or --user the
// kubeconfig does not have. Commands would otherwise fail later with "load kubeconfig: ..." (exit 1).
func (o *rootOptions) checkKubeFlags() error {
	k := o.kube
	if v := flagValue(k.Timeout); v != "" {
		if _, err := clientcmd.ParseTimeout(v); err != nil {
			return usageErrorf("--request-timeout %q: give a duration like 10s or 2m", v)
		}
	}
	explicit := flagValue(k.KubeConfig)
	if explicit != "" {
		if err := readable(explicit); err != nil {
			return usageErrorf("--kubeconfig: %w: give a readable kubeconfig file", err)
		}
	}
	names := map[string]string{"--context": flagValue(k.Context), "--cluster": flagValue(k.ClusterName), "--user": flagValue(k.AuthInfoName)}
	if names["--context"] == "" && names["--cluster"] == "" && names["--user"] == "" {
		return nil
	}
	// A file that reads but does not parse is the command's to report, with its context.
	if raw, err := k.ToRawKubeConfigLoader().RawConfig(); err == nil {
		return missingNames(names, raw.Contexts, raw.Clusters, raw.AuthInfos)
	}
	return nil
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

// readable tells whether a file can be opened for reading.
func readable(path string) error {
	f, err := os.Open(path) //nolint:gosec // the user's own --kubeconfig, only opened to see that it reads
	if err != nil {
		return err
	}
	return f.Close()
}

func flagValue(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
