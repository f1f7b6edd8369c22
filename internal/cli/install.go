package cli

import (
	"context"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// envClientSecret names the variable install reads the OIDC client secret from when no file is given.
const envClientSecret = "CAPSULE_HEADLAMP_OIDC_CLIENT_SECRET"

// installChecker runs doctor's checks for install: CheckPlan the pre-install checks on the plan before
// anything is written (an *install.CheckError when they found problems), CheckInstall the checks that
// need no token on a fresh installation, but those in skip; with wait, state that converges is judged
// until it holds. newInstallCmd wires it to doctor (installDoctor); nil skips both.
type installChecker interface {
	CheckPlan(ctx context.Context, p install.Plan, out io.Writer) error
	CheckInstall(ctx context.Context, s headlamp.Settings, skip []engine.ID, wait bool, out io.Writer) error
}

// installFlags are the command line of `install`, as typed.
type installFlags struct {
	issuerURL, clientID, clientSecretFile, scopes, callbackURL  string
	validatorClientID, validatorIssuerURL                       string
	useAccessToken, usePKCE                                     bool
	caFile, caTrust                                             string
	proxyService, proxyNamespace, proxyCASecret, proxyCAKey     string
	proxyCABundle, proxyCABundleKey                             string
	proxyPort                                                   int32
	image, baseURL, ingressHost, ingressClass, ingressTLSSecret string
	imagePullSecrets, tenantAccess                              []string
	requests, limits, gateway, gatewayHost                      string
	networkPolicy                                               bool
	dryRun, output                                              string
	wait, helmValues, forceConflicts, skipDoctor, force         bool
	timeout                                                     time.Duration
}

// installOptions are the flags and, after validate, the typed input of pkg/install.
type installOptions struct {
	root  *rootOptions
	flags installFlags

	input  install.Options
	format output.Format
	// given reports whether a flag was on the command line: the settings of the others are kept
	// from the installed Headlamp.
	given func(flag string) bool
	// readSecret prompts for the client secret with echo off; tests replace it.
	readSecret func(ctx context.Context) (string, error)
	// doctor judges the plan before install writes, and the installation after it unless --skip-doctor.
	doctor installChecker
	// clients builds the clients install writes with; tests replace it.
	clients func() (install.Clients, error)
}

func newInstallCmd(root *rootOptions) *cobra.Command {
	o := &installOptions{root: root}
	o.readSecret = o.promptSecret
	o.doctor = installDoctor{root: root}
	o.clients = root.installClients
	return o.command()
}

// command builds the cobra command bound to o.
func (o *installOptions) command() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "install [--oidc-issuer-url URL] [flags]",
		Short: "Deploy Headlamp behind capsule-proxy with OIDC sign-in",
		Long:  installLong,
		Example: `  # Install into capsule-system; the client secret is asked for on the terminal
  kubectl capsule-headlamp install --oidc-issuer-url https://dex.example.com/dex

  # Non-interactive, with the secret from a file and a private IdP CA
  kubectl capsule-headlamp install --oidc-issuer-url https://keycloak.internal/realms/capsule \
    --oidc-client-secret-file ./client-secret --oidc-ca-file ./keycloak-ca.pem

  # Show the objects without changing anything (the client secret is printed as REDACTED)
  CAPSULE_HEADLAMP_OIDC_CLIENT_SECRET=... kubectl capsule-headlamp install \
    --oidc-issuer-url https://dex.example.com/dex --dry-run=client -o yaml

  # Production: private registry, resources, network policy, Gateway API, tenants' access
  kubectl capsule-headlamp install --oidc-issuer-url https://dex.example.com/dex \
    --image registry.example.com/headlamp:v0.45.0 --image-pull-secret regcred --limits memory=1Gi \
    --network-policy --gateway gateways/public --gateway-host headlamp.example.com \
    --tenant-access tenant-a-owners

  # Later, change only the image: everything else is kept
  kubectl capsule-headlamp install --image registry.example.com/headlamp:v0.46.0

  # Values for the official Helm chart instead, for GitOps
  kubectl capsule-headlamp install --oidc-issuer-url https://dex.example.com/dex --helm-values > values.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd)
		},
	}
	addInstallFlags(cmd, &o.flags)
	o.given = func(flag string) bool { return cmd.Flags().Changed(flag) }
	return cmd
}

const installLong = `Deploy Headlamp into capsule-system (or -n) so that it talks to the Kubernetes API through
capsule-proxy with each user's own OIDC token: Capsule tenants then see their own namespaces.

What is created, all labelled app.kubernetes.io/managed-by=kubectl-capsule-headlamp and applied
with server-side apply: a ServiceAccount without token automount, a ConfigMap with the OIDC settings
and a Secret with the client secret alone, a ConfigMap with the IdP CA (--oidc-ca-file), a Deployment
(one replica: sessions live in the pod; requests and limits), a Service (port 80), and optionally an
Ingress (--ingress-host) or a Gateway API HTTPRoute (--gateway), a NetworkPolicy (--network-policy)
and a Role and RoleBinding letting tenant groups find Headlamp (--tenant-access). No cluster-scoped
object, and nothing granted to Headlamp's ServiceAccount: the pod's projected token has an audience
no API server accepts.

Re-running install keeps the installed settings whose flags are not given (the client secret too),
so one flag changes one thing; an empty value (--ingress-host "") removes what it set.

The pod trusts capsule-proxy's CA (from its Secret, key ca.crt or ca) as the in-cluster CA, reaches it
as <proxy-service>.<proxy-namespace>.svc, trusts a private IdP CA beside the system roots, and runs
under the restricted Pod Security Standard. A changed CA or secret restarts it on the next install.

Before writing anything, install runs doctor's checks on the installation as planned (category
Install of docs/checks.md, and those that need no running pod): the namespace, your permissions, the
pull Secrets, the Gateway API and the Gateway, the namespace's LimitRanges and ResourceQuotas;
capsule-proxy's Service and certificate (CA, names, key usage, validity) for the host Headlamp will
use; the scopes; the IdP's discovery and TLS as Headlamp will trust it (the system roots plus
--oidc-ca-file), its issuer, and the client secret at its token endpoint. Then the API server judges
every write in a server-side dry run (validation, size limits, admission policies, quotas). Any
problem, and nothing is changed (exit 1); --force writes despite the checks (not despite the API
server). --dry-run=server runs the checks too; --dry-run=client runs none and asks the IdP nothing.

Install refuses to take over a Headlamp managed by Helm or another tool unless --force-conflicts. A
take-over deletes those objects and creates them anew (Headlamp restarts), so nothing the other tool
wrote survives, such as a client secret written as plain text into the Deployment; fields another
manager set in our objects (kubectl set env, kubectl edit) are taken over and removed. Cluster role
bindings for Headlamp's ServiceAccount (the chart's <release>-admin binding to cluster-admin) are
never touched: install names them and how to remove them.

The writes go in an order that never starts Headlamp with part of the old settings and part of the
new ones; if one fails, the objects already written are put back as they were.

The OIDC client secret never goes on the command line: it is read from --oidc-client-secret-file,
else from $` + envClientSecret + `, else kept from the installed Headlamp, else asked for on the
terminal.`
