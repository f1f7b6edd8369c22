package cli

import (
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func addInstallFlags(cmd *cobra.Command, f *installFlags) {
	fs := cmd.Flags()
	fs.StringVar(&f.issuerURL, "oidc-issuer-url", "", "OIDC issuer URL (https, required)")
	fs.StringVar(&f.clientID, "oidc-client-id", headlamp.DefaultClientID, "OIDC client ID of Headlamp (a confidential client)")
	fs.StringVar(&f.clientSecretFile, "oidc-client-secret-file", "", "File holding the OIDC client secret (- for stdin); else $"+envClientSecret+", else a prompt")
	fs.StringVar(&f.scopes, "oidc-scopes", "profile,email,groups,offline_access", "Scopes to request, comma or space separated (openid is always added)")
	fs.BoolVar(&f.useAccessToken, "oidc-use-access-token", false, "Forward the access token instead of the ID token to the API")
	fs.BoolVar(&f.usePKCE, "oidc-use-pkce", false, "Use PKCE in the authorization code flow")
	fs.StringVar(&f.callbackURL, "oidc-callback-url", "", "Fixed redirect URI (default: derived from each request, e.g. http://localhost:8080/oidc-callback)")
	fs.StringVar(&f.validatorClientID, "oidc-validator-client-id", "", "Client ID to verify tokens against, when not the Headlamp client ID")
	fs.StringVar(&f.validatorIssuerURL, "oidc-validator-issuer-url", "", "Issuer URL to verify tokens against, when not the issuer")
	fs.StringVar(&f.caFile, "oidc-ca-file", "", "PEM file with the CA of a privately signed IdP")
	fs.StringVar(&f.caTrust, "oidc-ca-trust", "append", "How the IdP CA is trusted: append (beside the system roots) or only (the sole root for IdP calls)")
	fs.StringVar(&f.proxyService, "proxy-service", headlamp.DefaultProxyService, "capsule-proxy's Service")
	fs.StringVar(&f.proxyNamespace, "proxy-namespace", headlamp.DefaultProxyNamespace, "capsule-proxy's namespace")
	fs.Int32Var(&f.proxyPort, "proxy-port", headlamp.DefaultProxyPort, "capsule-proxy's Service port")
	fs.StringVar(&f.proxyCASecret, "proxy-ca-secret", headlamp.DefaultProxySecret, "capsule-proxy's TLS Secret, which holds its CA")
	fs.StringVar(&f.proxyCAKey, "proxy-ca-key", "", "Key of the CA in that Secret (default: ca.crt, else ca)")
	fs.StringVar(&f.proxyCABundle, "proxy-ca-bundle", "", "ConfigMap (e.g. from trust-manager) with capsule-proxy's CA, used instead of a copy when Headlamp lives in another namespace")
	fs.StringVar(&f.proxyCABundleKey, "proxy-ca-bundle-key", headlamp.CAKey, "Key of the CA in --proxy-ca-bundle")
	fs.StringVar(&f.image, "image", headlamp.DefaultImage, "Headlamp container image")
	fs.StringVar(&f.baseURL, "base-url", "", "Path prefix Headlamp serves under, e.g. /headlamp")
	fs.StringVar(&f.ingressHost, "ingress-host", "", "Expose Headlamp through an Ingress for this host")
	fs.StringVar(&f.ingressClass, "ingress-class", "", "Ingress class of the Ingress")
	fs.StringVar(&f.ingressTLSSecret, "ingress-tls-secret", "", "TLS Secret of the Ingress")
	addProductionFlags(fs, f)
	fs.BoolVar(&f.wait, "wait", true, "Wait until Headlamp is available")
	fs.DurationVar(&f.timeout, "timeout", 3*time.Minute, "How long to wait")
	fs.StringVar(&f.dryRun, "dry-run", "none", "none, client (read the cluster, build and print, write nothing) or server (send with dryRun, store nothing)")
	fs.Lookup("dry-run").NoOptDefVal = "client"
	fs.StringVarP(&f.output, "output", "o", "", "Print the objects as yaml or json (the client secret is REDACTED)")
	fs.BoolVar(&f.helmValues, "helm-values", false, "Print values for the official Headlamp chart instead of installing")
	fs.BoolVar(&f.forceConflicts, "force-conflicts", false, "Take over objects another manager (such as Helm) owns, which are deleted and created anew with only our settings, and fields other managers set in ours, which are removed")
	fs.BoolVar(&f.force, "force", false, "Write even when the checks made before writing found problems")
	fs.BoolVar(&f.skipDoctor, "skip-doctor", false, "Do not run the doctor checks after installing")
	for name, values := range map[string][]string{
		"output": {"yaml", "json"}, "dry-run": {"none", "client", "server"}, "oidc-ca-trust": {"append", "only"},
	} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
}

// addProductionFlags are the options of clusters run in production: private registries, quotas,
// network policies, the Gateway API and tenants' access.
func addProductionFlags(fs *pflag.FlagSet, f *installFlags) {
	fs.StringArrayVar(&f.imagePullSecrets, "image-pull-secret", nil, "Secret in the namespace to pull the image with (repeatable)")
	fs.StringVar(&f.requests, "requests", "", "Resource requests of Headlamp's container, like cpu=200m,memory=256Mi; resources not named keep their value (default cpu=100m,memory=128Mi)")
	fs.StringVar(&f.limits, "limits", "", "Resource limits of Headlamp's container, like cpu=1,memory=1Gi; resources not named keep their value (default cpu=500m,memory=512Mi)")
	fs.BoolVar(&f.networkPolicy, "network-policy", false, "Create a NetworkPolicy: traffic in only to Headlamp's port; out only to DNS, capsule-proxy's pods and the IdP's addresses")
	fs.StringVar(&f.gateway, "gateway", "", "Expose Headlamp through an HTTPRoute attached to this Gateway API Gateway (NAMESPACE/NAME), instead of an Ingress")
	fs.StringVar(&f.gatewayHost, "gateway-host", "", "Host name of the HTTPRoute (with --gateway)")
	fs.StringArrayVar(&f.tenantAccess, "tenant-access", nil, "Group allowed to read what login needs to find Headlamp and check its redirect URI (repeatable)")
}
