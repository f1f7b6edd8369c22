package cli

import (
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

func TestUninstallFlags(t *testing.T) {
	kubeconfig := "--kubeconfig=" + emptyKubeconfig(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"uninstall", "--dry-run=maybe"}, ExitUsage, "--dry-run: invalid dry-run mode"},
		{[]string{"uninstall", "--timeout=-1s"}, ExitUsage, "--timeout -1s must be positive"},
		{[]string{"uninstall", "-n", "Bad_NS"}, ExitUsage, "--namespace"},
		{[]string{"uninstall", "-o", "yaml"}, ExitUsage, `--output "yaml"`},
		{[]string{"uninstall", "-o", "name"}, ExitUsage, "--output prints what a dry run would delete: add --dry-run"},
		{[]string{"uninstall", "-o", "json", "--dry-run=none"}, ExitUsage, "--output prints what a dry run would delete"},
		{[]string{"uninstall", "extra"}, ExitUsage, `unknown command "extra"`},
		{[]string{"uninstall", "--server", "http://127.0.0.1:1", kubeconfig}, ExitFailure, "is the cluster of the current context reachable?"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func TestUninstallDryRunListsTheObjectsOnStdout(t *testing.T) {
	for _, dry := range []install.DryRun{install.DryRunClient, install.DryRunServer} {
		t.Run(string(dry), func(t *testing.T) { testDryRunListsObjects(t, dry) })
	}
}

func testDryRunListsObjects(t *testing.T, dry install.DryRun) {
	refs := []install.ObjectRef{{Kind: "service", Name: "headlamp"}, {Kind: "deployment", Name: "headlamp"}}
	for format, want := range map[string]string{
		"":     "service/headlamp would be deleted\ndeployment/headlamp would be deleted\n",
		"name": "service/headlamp\ndeployment/headlamp\n",
		"json": `"name": "headlamp"`,
	} {
		streams, _, out, errOut := genericiooptions.NewTestIOStreams()
		o := &uninstallOptions{root: &rootOptions{streams: streams, getenv: func(string) string { return "" }}, output: format,
			input: install.UninstallOptions{Namespace: "capsule-system", DryRun: dry}}
		if err := o.report(refs); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), want) || strings.Contains(errOut.String(), "service/headlamp") {
			t.Errorf("-o %q: stdout %q (want %q), stderr %q (want no object)", format, out, want, errOut)
		}
		if !strings.Contains(errOut.String(), "dry run ("+string(dry)+"): nothing was changed") {
			t.Errorf("-o %q: stderr %q, want the dry-run note", format, errOut)
		}
	}
}
