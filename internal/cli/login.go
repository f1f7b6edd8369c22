package cli

import (
	"github.com/spf13/cobra"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/login"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// loginOptions are the flags of `login`.
type loginOptions struct {
	root      *rootOptions
	headlamp  string
	url       string
	path      string
	port      int
	noBrowser bool
	force     bool
	output    string
	format    output.Format
}

func newLoginCmd(root *rootOptions) *cobra.Command {
	o := &loginOptions{root: root}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Open Headlamp's sign-in in the browser, through a port-forward when needed",
		Long: `Open a browser session on Headlamp, straight to the identity provider's sign-in.

Headlamp is found in the namespace given with -n (default capsule-system), by --headlamp NAME when
there are several, and reached by, in order:
the --url given; an Ingress to its Service (https when the Ingress has TLS); otherwise a port-forward
from 127.0.0.1:--port (default 8080, as in the Capsule guide's ` + "`port-forward 8080:80`" + `) to a ready
Headlamp pod, kept open in the foreground until Ctrl-C and moved to a new pod if the pod goes away.

Before opening the browser, login asks the identity provider whether it accepts the redirect URI
Headlamp will send (its -oidc-callback-url, else http://localhost:<port>/oidc-callback through the
port-forward). When the IdP refuses it, login names the URI to register and stops, unless --force.
The check is skipped when --path opens another page than the OIDC sign-in.

Tenants who may not read Headlamp's namespace pass Headlamp's address (its Ingress URL, from an
admin) with --url: login then opens the sign-in without looking Headlamp up. --url refuses a user
name or password in the URL, and --path must be a path on Headlamp (a single leading /, no //host
or backslash): a browser would otherwise be sent to another site.

The URL is printed on stdout in any case; status goes to stderr. The browser is $BROWSER when set,
else the system's opener; login starts it and does not wait for it to close. Exit codes: 0 done (Ctrl-C ends a port-forward normally), 1 failed
(no Headlamp, no ready pod, port in use, port-forward forbidden, redirect URI refused), 2 bad flags
(or a kubeconfig that selects no cluster), 130 interrupted before Headlamp was reachable.`,
		Example: `  # Sign in to Headlamp in capsule-system, through a port-forward on localhost:8080
  kubectl capsule-headlamp login

  # Only print the URL (for another machine's browser), on another local port
  kubectl capsule-headlamp login --no-browser --port 8081

  # As a tenant: Headlamp's address from an admin, no access to its namespace needed
  kubectl capsule-headlamp login --url https://headlamp.example.com

  # Headlamp behind a known address; open its token sign-in page instead of the IdP
  kubectl capsule-headlamp login --url https://headlamp.example.com --path /c/main/token

  # For scripts: how Headlamp is reached, as JSON, then keep forwarding
  kubectl capsule-headlamp login --no-browser -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(cmd); err != nil {
				return err
			}
			return o.run(cmd)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.headlamp, "headlamp", "", "Name of the Headlamp Deployment (default: found by label in the namespace)")
	f.StringVar(&o.url, "url", "", "Headlamp's address (http or https, without user name or password); skips looking for an Ingress or a port-forward")
	f.IntVar(&o.port, "port", login.DefaultPort, "Local port of the port-forward; http://localhost:<port>/oidc-callback must be registered at the IdP")
	f.StringVar(&o.path, "path", "", "Path and query on Headlamp to open instead of the sign-in deep link /oidc?cluster=<cluster> (starting with a single /)")
	f.BoolVar(&o.noBrowser, "no-browser", false, "Do not open a browser; only print the URL")
	f.BoolVar(&o.force, "force", false, "Open the browser even when the identity provider refuses the redirect URI")
	f.StringVarP(&o.output, "output", "o", "", "Output format: json or yaml (how Headlamp is reached) instead of the URL alone")
	_ = cmd.RegisterFlagCompletionFunc("headlamp", root.completeHeadlamps)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *loginOptions) validate(cmd *cobra.Command) error {
	f, err := output.Parse(o.output, output.Text, output.JSON, output.YAML)
	if err != nil {
		return usageErrorf("--output: %w", err)
	}
	o.format = f
	if o.port < 1 || o.port > 65535 {
		return usageErrorf("--port must be between 1 and 65535, not %d", o.port)
	}
	if o.url != "" {
		if err := login.CheckURL(o.url); err != nil {
			return usageErrorf("--url %w", err)
		}
		if cmd.Flags().Changed("port") {
			return usageErrorf("--port is for the port-forward, which --url skips: give only one of them")
		}
	}
	if o.path != "" {
		if err := login.CheckPath(o.path); err != nil {
			return usageErrorf("--path %w", err)
		}
	}
	return nil
}
