package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// uninstallOptions are the flags of `uninstall`.
type uninstallOptions struct {
	root    *rootOptions
	dryRun  string
	wait    bool
	timeout time.Duration
	output  string
	input   install.UninstallOptions
}

func newUninstallCmd(root *rootOptions) *cobra.Command {
	o := &uninstallOptions{root: root}
	cmd := &cobra.Command{
		Use:   "uninstall [flags]",
		Short: "Remove what install created",
		Long: `Delete exactly the objects in the namespace (capsule-system, or -n) that carry the label
app.kubernetes.io/managed-by=` + headlamp.ManagedBy + `, and wait until they are gone.
Nothing else is touched: not capsule-proxy's Secret, not the namespace, not a Headlamp that Helm
or another tool manages.`,
		Example: `  # See what would be deleted
  kubectl capsule-headlamp uninstall --dry-run

  # Ask the API server to check the deletes, and list the objects for a script
  kubectl capsule-headlamp uninstall --dry-run=server -o name

  # Remove Headlamp from another namespace without waiting
  kubectl capsule-headlamp uninstall -n headlamp --wait=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.dryRun, "dry-run", "none", "none, client (list what would be deleted) or server (send the deletes with dryRun)")
	fs.Lookup("dry-run").NoOptDefVal = "client"
	fs.BoolVar(&o.wait, "wait", true, "Wait until every deleted object is gone")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "How long to wait")
	fs.StringVarP(&o.output, "output", "o", "", "With --dry-run (client or server): print the objects as name (kind/name) or json instead of sentences")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"name", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("dry-run", cobra.FixedCompletions([]string{"none", "client", "server"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *uninstallOptions) validate() error {
	dry, err := install.ParseDryRun(o.dryRun)
	if err != nil {
		return usageErrorf("--dry-run: %w", err)
	}
	if o.output != "" && o.output != outputName && o.output != string(output.JSON) {
		return usageErrorf("--output %q: use name or json", o.output)
	}
	if o.output != "" && dry.Writes() {
		return usageErrorf("--output prints what a dry run would delete: add --dry-run (or --dry-run=server), or drop -o")
	}
	if o.wait && o.timeout <= 0 {
		return usageErrorf("--timeout %s must be positive", o.timeout)
	}
	ns := o.root.namespace()
	if err := dnsLabel(ns); err != nil {
		return usageErrorf("--namespace %w", err)
	}
	o.input = install.UninstallOptions{Namespace: ns, DryRun: dry, Wait: o.wait, Timeout: o.timeout}
	return nil
}

func (o *uninstallOptions) run(cmd *cobra.Command) error {
	c, err := o.root.installClients()
	if err != nil {
		return err
	}
	w := o.root.streams.ErrOut
	o.input.Progress, o.input.Terminal = w, style.IsTerminal(w)
	refs, err := install.Uninstall(cmd.Context(), c, o.input)
	if err != nil {
		return err
	}
	return o.report(refs)
}

// report says what uninstall did on stderr; with a dry run (client or server) the objects that would
// be deleted are the data asked for, and go to stdout.
func (o *uninstallOptions) report(refs []install.ObjectRef) error {
	w := o.root.streams.ErrOut
	p := o.root.palette(w)
	switch {
	case len(refs) == 0:
		fmt.Fprintf(w, "nothing to uninstall: no object in namespace %s carries %s=%s\n", o.input.Namespace, headlamp.LabelManagedBy, headlamp.ManagedBy)
	case !o.input.DryRun.Writes():
		if err := o.printRefs(refs); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s dry run (%s): nothing was changed\n", p.Yellow("!"), o.input.DryRun)
	default:
		fmt.Fprintf(w, "%s Headlamp is uninstalled from namespace %s\n", p.Green("✓"), o.input.Namespace)
	}
	return nil
}

// outputName is -o name: one kind/name a line, as kubectl prints them.
const outputName = "name"

// printRefs writes the objects a dry run would delete to stdout.
func (o *uninstallOptions) printRefs(refs []install.ObjectRef) error {
	out := o.root.streams.Out
	if o.output == string(output.JSON) {
		return output.Print(out, output.JSON, refs)
	}
	for _, r := range refs {
		line := r.String() + " would be deleted"
		if o.output == outputName {
			line = r.String()
		}
		if _, err := fmt.Fprintln(out, line); err != nil {
			return err
		}
	}
	return nil
}
