package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// The -o values of doctor besides json.
const (
	outputShort output.Format = "short"
)

// doctorOptions are the flags of `doctor`.
type doctorOptions struct {
	root         *rootOptions
	output       string
	format       output.Format
	timeout      time.Duration
	checkTimeout time.Duration
	failOn       string
	only, skip   []string
	listChecks   bool
	authConfig   string
	headlamp     string
	proxy        area.ProxyRef
	identity     identityOptions
	// config is the run, completed from the flags: files read, clients built.
	config doctor.Config
}

func newDoctorCmd(root *rootOptions) *cobra.Command {
	o := &doctorOptions{root: root}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the Headlamp, capsule-proxy, Capsule and OIDC setup and explain what is wrong",
		Long: `Check everything between a user's browser and their tenant: the cluster, Capsule, capsule-proxy's
certificate and live TLS, the Headlamp Deployment, the API server's authentication configuration, the
IdP, and - with a user's token - what the API server, capsule-proxy and Capsule make of that user.
Live probes ask a running Headlamp pod itself, through a port-forward: its /oidc sign-in redirect and,
with a token, the user's requests through it to the cluster.

A token comes from --token-file (or - for standard input), from a password grant with --username, or
from a browser sign-in with --browser; it is never printed. Without one, the token checks are skipped.
The text output ends with the sign-in chain, hop by hop, marking where it breaks and whether the hop
was "probed live" (naming the probes) or judged from "configuration only".

Each check has a stable ID (see --list-checks and docs/checks.md) and ends pass, warn, fail, skip or
unknown. Unknown means doctor could not look (a missing permission, a timeout). The exit code is 0
when nothing failed and 1 when a check failed (or warned, with --fail-on=warning; or warned or could
not look, with --fail-on=unknown, for a CI gate). A run in which no check could look at anything
(every check unknown or skipped, say with a --timeout too short to reach the API server) exits 1
too, saying so: it must not read as healthy. Bad flags or input files exit 2.`,
		Example: `  # Check the setup in capsule-system
  kubectl capsule-headlamp doctor

  # Also validate the API server's authentication configuration file, as JSON
  kubectl capsule-headlamp doctor --authentication-config /etc/kubernetes/auth-config.yaml -o json

  # Only the problems, failing on warnings and on checks that could not look too (CI)
  kubectl capsule-headlamp doctor -o short --fail-on=unknown

  # One check (and the checks it builds on), or all but one
  kubectl capsule-headlamp doctor --check PROXY-TLS-LIVE
  kubectl capsule-headlamp doctor --skip AUTHN-METRICS

  # Follow alice's sign-in end to end, with a token from a file or a password grant
  kubectl capsule-headlamp doctor --token-file ./alice.jwt
  kubectl capsule-headlamp doctor --username alice@example.com --password-file ./alice.pw

  # Sign in with the browser, and write a support bundle to attach to a ticket
  kubectl capsule-headlamp doctor --browser --bundle ./doctor.tar.gz

  # The catalogue of checks
  kubectl capsule-headlamp doctor --list-checks`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Validate first: a wrong flag is a usage error even where the kubeconfig is broken.
			if err := o.Validate(); err != nil {
				return err
			}
			if o.listChecks {
				return o.listCatalogue()
			}
			if err := o.Complete(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	o.addFlags(cmd)
	return cmd
}

func (o *doctorOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "Output format: json, or short (only warnings, failures and unknowns); text by default")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "Stop the whole run after this long; unfinished checks are reported unknown")
	f.DurationVar(&o.checkTimeout, "check-timeout", engine.DefaultCheckTimeout, "Stop a single check after this long")
	f.StringVar(&o.failOn, "fail-on", "error", "Exit 1 on failed checks (error), on warnings too (warning), or on warnings and checks that could not look too (unknown, for CI)")
	f.StringSliceVar(&o.only, "check", nil, "Run only these checks (IDs, comma separated or repeated) and those they depend on")
	f.StringSliceVar(&o.skip, "skip", nil, "Skip these checks (IDs) and those depending on them")
	f.BoolVar(&o.listChecks, "list-checks", false, "Print the catalogue of checks (with -o json as JSON) and exit")
	f.StringVar(&o.authConfig, "authentication-config", "", "The API server's AuthenticationConfiguration FILE, validated and compared with Headlamp's settings")
	f.StringVar(&o.headlamp, "headlamp", "", "Name of the Headlamp Deployment (default: found by label in the namespace)")
	f.StringVar(&o.proxy.Namespace, "proxy-namespace", headlamp.DefaultProxyNamespace, "Namespace of capsule-proxy")
	f.StringVar(&o.proxy.Service, "proxy-service", headlamp.DefaultProxyService, "Service of capsule-proxy")
	f.StringVar(&o.proxy.Secret, "proxy-secret", headlamp.DefaultProxySecret, "Secret holding capsule-proxy's serving certificate and CA")
	addIdentityFlags(f, &o.identity)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"json", "short"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "unknown"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("authentication-config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml", "json"}, cobra.ShellCompDirectiveFilterFileExt
	})
	ids := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, c := range catalogue.Checks() {
			out = append(out, string(c.ID)+"\t"+c.Title)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	_ = cmd.RegisterFlagCompletionFunc("check", ids)
	_ = cmd.RegisterFlagCompletionFunc("skip", ids)
}

// Validate checks the flags alone (parsing -o), reading nothing: every problem is a usage error naming
// its flag.
func (o *doctorOptions) Validate() error {
	f, err := output.Parse(o.output, output.Text, output.JSON, outputShort)
	if err != nil {
		return usageErrorf("--output: %w", err)
	}
	o.format = f
	if o.listChecks && o.format == outputShort {
		return usageErrorf("--list-checks prints text or -o json, not -o short")
	}
	switch o.failOn {
	case string(engine.SeverityError), string(engine.SeverityWarning), string(engine.FailOnUnknown):
	default:
		return usageErrorf("--fail-on %q: use error, warning or unknown", o.failOn)
	}
	if o.timeout <= 0 || o.checkTimeout <= 0 {
		return usageErrorf("--timeout and --check-timeout must be positive")
	}
	if o.proxy.Namespace == "" || o.proxy.Service == "" || o.proxy.Secret == "" {
		return usageErrorf("--proxy-namespace, --proxy-service and --proxy-secret must not be empty")
	}
	if err := o.identity.validate(); err != nil {
		return err
	}
	if err := doctor.CheckSelection(ids(o.only), ids(o.skip)); err != nil {
		return usageErrorf("%w", err)
	}
	return nil
}

func ids(s []string) []engine.ID {
	out := make([]engine.ID, len(s))
	for i, v := range s {
		out[i] = engine.ID(v)
	}
	return out
}

// readAuthConfig reads --authentication-config; a file that cannot be read is an error, a file that
// does not decode is a finding of AUTHN-CONFIG-VALID.
func (o *doctorOptions) readAuthConfig() (*area.AuthConfigFile, error) {
	if o.authConfig == "" {
		return nil, nil
	}
	data, err := os.ReadFile(o.authConfig)
	if err != nil {
		return nil, fmt.Errorf("read --authentication-config: %w", err)
	}
	return &area.AuthConfigFile{Path: o.authConfig, Data: data}, nil
}
