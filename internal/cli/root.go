// Package cli builds the `kubectl capsule-headlamp` command tree. It only translates flags and
// arguments into typed inputs for the logic packages under pkg/; it holds no logic of its own and no
// package-level state: every call to NewRootCmd builds a fresh tree.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// displayName is how users invoke the plugin, through kubectl.
const displayName = "kubectl capsule-headlamp"

// rootOptions holds what every subcommand shares: the streams, the environment, kubectl's global flags
// and the colour choice.
type rootOptions struct {
	streams   genericiooptions.IOStreams
	getenv    func(string) string
	kube      *genericclioptions.ConfigFlags
	color     style.Mode
	verbosity int
	// stopLogging puts klog back after the command (set once -v started it).
	stopLogging func()
}

// defaultNamespace is where Headlamp and capsule-proxy live unless -n says otherwise. The namespace of
// the kubeconfig context is deliberately not used: it is usually a workload namespace.
const defaultNamespace = "capsule-system"

// namespace returns the namespace given with -n, or capsule-system.
func (o *rootOptions) namespace() string {
	if o.kube.Namespace != nil && *o.kube.Namespace != "" {
		return *o.kube.Namespace
	}
	return defaultNamespace
}

// palette returns the colours for output written to the given stream.
func (o *rootOptions) palette(w io.Writer) style.Palette {
	return style.NewPalette(o.color, o.getenv, w)
}

// Execute builds the command tree, runs it with args and returns the process exit code. Errors are
// printed once, here, as "error: ...".
func Execute(ctx context.Context, streams genericiooptions.IOStreams, args []string, getenv func(string) string) int {
	root, o := newRootCmd(streams, getenv)
	root.SetArgs(args)
	ran := false
	markRun(root, &ran)
	cmd, err := root.ExecuteContextC(ctx)
	if o.stopLogging != nil {
		o.stopLogging()
	}
	code := exitCode(ctx, err, ran)
	// Every error is shown without the user info of the URLs it quotes (from a flag, a kubeconfig or
	// the cluster): a password must not reach a terminal or a CI log.
	if msg := redact.URLs(errorMessage(err, code)); msg != "" {
		fmt.Fprintf(streams.ErrOut, "error: %s\n", msg)
		if code == ExitUsage {
			fmt.Fprintf(streams.ErrOut, "See '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return code
}

// NewRootCmd returns the root of a fresh command tree writing to streams and reading the environment
// through getenv.
func NewRootCmd(streams genericiooptions.IOStreams, getenv func(string) string) *cobra.Command {
	cmd, _ := newRootCmd(streams, getenv)
	return cmd
}

// newRootCmd is NewRootCmd, also returning the options the tree shares.
func newRootCmd(streams genericiooptions.IOStreams, getenv func(string) string) (*cobra.Command, *rootOptions) {
	o := &rootOptions{
		streams: streams,
		getenv:  getenv,
		kube:    genericclioptions.NewConfigFlags(true),
		color:   style.Auto,
	}
	cmd := &cobra.Command{
		Use:   "kubectl-capsule_headlamp",
		Short: "Run Headlamp behind capsule-proxy with OIDC, and diagnose it",
		Long: `Run Headlamp, the Kubernetes web UI, behind capsule-proxy so that Capsule tenants see their
own cluster, with OIDC sign-in done right; and explain every failure of that chain.

  install    deploy Headlamp into capsule-system behind capsule-proxy, secure by default
  doctor     check the CA trust chain, the API server's audiences and the token claims
  login      open a browser session on Headlamp`,
		Annotations:       map[string]string{cobra.CommandDisplayNameAnnotation: displayName},
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		// Every command, doctor included, gets kubectl's flags checked the same way.
		PersistentPreRunE: func(*cobra.Command, []string) error { return o.prepare() },
	}
	cmd.SetIn(streams.In)
	cmd.SetOut(streams.Out)
	cmd.SetErr(streams.ErrOut)
	o.kube.AddFlags(cmd.PersistentFlags())
	describeRequestTimeout(cmd.PersistentFlags())
	addVerbosityFlag(cmd.PersistentFlags(), &o.verbosity)
	cmd.PersistentFlags().Var((*colorValue)(&o.color), "color",
		"When to colour the output: auto (on a terminal, unless NO_COLOR is set), always or never")
	_ = cmd.RegisterFlagCompletionFunc("namespace", o.completeNamespaces)
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(style.Modes, cobra.ShellCompDirectiveNoFileComp))
	cmd.AddCommand(
		newVersionCmd(o),
		newCompletionCmd(o),
	)
	cmd.AddCommand(newDoctorCmd(o))
	cmd.AddCommand(newInstallCmd(o), newUninstallCmd(o))
	cmd.AddCommand(newLoginCmd(o))
	return cmd, o
}

// prepare checks kubectl's flags, then starts the client's logging for -v.
func (o *rootOptions) prepare() error {
	if err := o.checkKubeFlags(); err != nil {
		return err
	}
	stop, err := startLogging(o.verbosity, o.streams.ErrOut)
	o.stopLogging = stop
	return err
}

// markRun wraps every RunE of the tree so that Execute can tell errors of the command's own code from
// those cobra raised while parsing the command line.
func markRun(cmd *cobra.Command, ran *bool) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			*ran = true
			return run(c, args)
		}
	}
	for _, sub := range cmd.Commands() {
		markRun(sub, ran)
	}
}

func errorMessage(err error, code int) string {
	switch {
	case err == nil:
		return ""
	case code == ExitInterrupted:
		return "interrupted"
	}
	if exitErr := (*ExitError)(nil); errors.As(err, &exitErr) && exitErr.Err == nil {
		return ""
	}
	return err.Error()
}

// colorValue makes --color reject bad values while flags are parsed, so they are usage errors.
type colorValue style.Mode

func (v *colorValue) String() string { return string(*v) }
func (v *colorValue) Type() string   { return "string" }

func (v *colorValue) Set(s string) error {
	m, err := style.ParseMode(s)
	if err != nil {
		return err
	}
	*v = colorValue(m)
	return nil
}
