package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

var errNotRunning = errors.New("no sandbox is running: start one with `sandbox up`")

// runStatus prints one line per component: pid and whether its process is alive.
func runStatus(ctx context.Context, st Streams, dir string, args []string) error {
	if err := noArgs("status", args); err != nil {
		return err
	}
	sup := supervisorPid(dir)
	if sup == 0 {
		return errNotRunning
	}
	_, readyErr := os.Stat(readyFile(dir))
	pids, _ := stack.ReadPids(dir)
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "COMPONENT\tPID\tSTATE\n")
	fmt.Fprintf(tw, "supervisor\t%d\t%s\n", sup, map[bool]string{true: "ready", false: "starting"}[readyErr == nil])
	down := 0
	var tails []string
	for _, name := range stack.Components() {
		pid, ok := pids[name]
		switch {
		case name == stack.ProxyStandin || name == stack.HeadlampStand:
			fmt.Fprintf(tw, "%s\t%d\tstand-in in the supervisor\n", name, sup)
		case !ok:
			down++
			fmt.Fprintf(tw, "%s\t-\tnot running\n", name)
		case proc.Alive(pid):
			fmt.Fprintf(tw, "%s\t%d\trunning\n", name, pid)
		default:
			down++
			log := stack.Layout{Dir: dir}.Log(name)
			fmt.Fprintf(tw, "%s\t%d\texited: see %s\n", name, pid, log)
			tails = append(tails, fmt.Sprintf("last lines of %s:\n%s", log, proc.Tail(log, 10)))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range tails {
		fmt.Fprintln(st.Err, t)
	}
	if down > 0 {
		return fmt.Errorf("%d component(s) not running", down)
	}
	return nil
}

// runEnv prints exports for a shell: eval "$(sandbox env)". No secret is printed, only file paths.
func runEnv(_ context.Context, st Streams, dir string, args []string) error {
	if err := noArgs("env", args); err != nil {
		return err
	}
	if supervisorPid(dir) == 0 {
		return errNotRunning
	}
	l := stack.Layout{Dir: dir}
	for _, kv := range [][2]string{
		{"KUBECONFIG", l.AdminKubeconfig()},
		{"SANDBOX_STATE", dir},
		{"SANDBOX_API_SERVER", stack.APIServerURL},
		{"SANDBOX_CLUSTER_CA", l.PKI("cluster-ca.crt")},
		{"SANDBOX_OIDC_ISSUER", stack.IssuerURL},
		{"SANDBOX_OIDC_CA", l.PKI("oidc-ca.crt")},
		{"SANDBOX_PROXY_URL", stack.ProxyURL},
		{"SANDBOX_PROXY_CA", l.PKI("proxy-ca.crt")},
		{"SANDBOX_HEADLAMP_CLIENT_ID", stack.HeadlampClientID},
		{"SANDBOX_HEADLAMP_CLIENT_SECRET_FILE", l.ClientSecretFile()},
		{"SANDBOX_AUTHN_CONFIG", l.AuthConfig()},
	} {
		fmt.Fprintf(st.Out, "export %s=%s\n", kv[0], kv[1])
	}
	return nil
}
