// Package cli implements the sandbox command: up, down, status, env, token, kubeconfig, run, build, demo.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// Streams are the command's output channels: data to Out, progress to Err.
type Streams struct{ Out, Err io.Writer }

type command struct {
	summary string
	run     func(ctx context.Context, st Streams, stateDir string, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"build":      {"build (or find in the cache) every component binary; needs the network the first time", runBuild},
		"up":         {"start the sandbox detached and print the KUBECONFIG to export", runUp},
		"run":        {"run the sandbox in the foreground until interrupted (what `up` starts)", runForeground},
		"down":       {"stop the sandbox: every component, API server before etcd", runDown},
		"status":     {"show whether each component's process runs", runStatus},
		"env":        {"print shell exports for the running sandbox", runEnv},
		"token":      {"write a user's ID token to a file (never printed)", runToken},
		"kubeconfig": {"write a kubeconfig for a user, direct or through the proxy stand-in", runKubeconfig},
		"demo":       {"show alice's identity, direct and through the proxy, and what to try next", runDemo},
	}
}

// Run executes one subcommand and returns the process exit code.
func Run(ctx context.Context, args []string, st Streams) int {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(st.Err)
	state := fs.String("state", stack.DefaultStateDir(), "state folder of the sandbox")
	fs.Usage = func() { usage(st.Err, fs) }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cmds := commands()
	if fs.NArg() == 0 {
		usage(st.Err, fs)
		return 2
	}
	cmd, ok := cmds[fs.Arg(0)]
	if !ok {
		fmt.Fprintf(st.Err, "error: unknown command %q\n", fs.Arg(0))
		usage(st.Err, fs)
		return 2
	}
	if err := cmd.run(ctx, st, *state, fs.Args()[1:]); err != nil {
		fmt.Fprintf(st.Err, "error: %v\n", err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: sandbox [--state DIR] COMMAND [flags]\n\ncommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nglobal flags:")
	fs.PrintDefaults()
}

// noArgs parses a subcommand without flags.
func noArgs(name string, args []string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return fmt.Errorf("%w: sandbox %s takes no arguments", errUsage, name)
	}
	return nil
}
