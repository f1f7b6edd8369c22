package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	apiversion "k8s.io/apimachinery/pkg/version"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/version"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// versionOptions are the flags of `version`.
type versionOptions struct {
	root   *rootOptions
	client bool
	output string
	format output.Format
}

// versionReport is what `version -o json|yaml` prints.
type versionReport struct {
	ClientVersion version.Info     `json:"clientVersion"`
	ServerVersion *apiversion.Info `json:"serverVersion,omitempty"`
}

func newVersionCmd(root *rootOptions) *cobra.Command {
	o := &versionOptions{root: root}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the plugin version and the API server version",
		Example: `  # Client and server versions
  kubectl capsule-headlamp version

  # Only the plugin, without contacting the cluster, as JSON
  kubectl capsule-headlamp version --client -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd)
		},
	}
	cmd.Flags().BoolVar(&o.client, "client", false, "Print only the plugin version; do not contact the cluster")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "Output format: json or yaml")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *versionOptions) validate() error {
	f, err := output.Parse(o.output, output.Text, output.JSON, output.YAML)
	if err != nil {
		return usageErrorf("--output: %w", err)
	}
	o.format = f
	return nil
}

func (o *versionOptions) run(cmd *cobra.Command) error {
	report := versionReport{ClientVersion: version.Get()}
	var serverErr error
	if !o.client {
		report.ServerVersion, serverErr = o.serverVersion(cmd)
	}
	if err := o.print(report); err != nil {
		return err
	}
	return serverErr
}

func (o *versionOptions) serverVersion(cmd *cobra.Command) (*apiversion.Info, error) {
	cs, err := kube.NewClientset(o.root.cluster())
	if err != nil {
		return nil, err
	}
	return kube.ServerVersion(cmd.Context(), cs)
}

func (o *versionOptions) print(r versionReport) error {
	if o.format != output.Text {
		return output.Print(o.root.streams.Out, o.format, r)
	}
	c := r.ClientVersion
	fmt.Fprintf(o.root.streams.Out, "Client Version: %s", c.Version)
	if c.Commit != "" {
		fmt.Fprintf(o.root.streams.Out, " (commit %s, built %s)", c.Commit, c.Date)
	}
	fmt.Fprintln(o.root.streams.Out)
	if r.ServerVersion != nil {
		fmt.Fprintf(o.root.streams.Out, "Server Version: %s\n", r.ServerVersion.GitVersion)
	}
	return nil
}
