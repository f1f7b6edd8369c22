package headlamp

import (
	"regexp"
	"strings"
)

// KnownFlagsSource says where knownFlags come from, for messages: Headlamp's flag set as its backend
// defines it (backend/pkg/config/config.go, the newest source read). Flags added over time are not
// told apart by version: a name outside it is unknown to every Headlamp this plugin knows of.
const KnownFlagsSource = "Headlamp's backend flag set (backend/pkg/config/config.go, newest source read; 0.45.0 verified)"

// VerifiedVersion is the Headlamp release whose behaviour the reference files verify.
const VerifiedVersion = "0.45.0"

// knownFlags are the flags Headlamp's backend defines; each may also come as HEADLAMP_CONFIG_<FLAG>.
var knownFlags = map[Setting]bool{}

func init() {
	for _, f := range strings.Fields(`version in-cluster in-cluster-context-name dev cache-enabled no-browser insecure-ssl
		log-level enable-dynamic-clusters allow-kubeconfig-changes watch-plugins-changes enable-plugin-manager
		plugin-manager-configmap kubeconfig skipped-kube-contexts html-static-dir plugins-dir user-plugins-dir base-url
		session-ttl pod-debug-image node-shell-image node-shell-namespace listen-addr port proxy-urls enable-helm
		enable-cluster-inventory cluster-inventory-provider-file cluster-inventory-label-selector
		cluster-inventory-root-reconcile-interval cluster-inventory-no-crd-cache-ttl default-light-theme
		default-dark-theme force-theme unsafe-use-service-account-token service-account-token-path
		oidc-client-id oidc-client-secret oidc-validator-client-id oidc-idp-issuer-url oidc-callback-url
		oidc-validator-idp-issuer-url oidc-scopes oidc-skip-tls-verify oidc-ca-file oidc-use-access-token
		oidc-use-cookie oidc-use-pkce me-username-path me-email-path me-groups-path me-user-info-url
		proxy-auth proxy-auth-username-header proxy-auth-group-header proxy-auth-email-header proxy-auth-token-header
		service-name service-version tracing-enabled metrics-enabled otlp-endpoint use-otlp-http
		stdout-trace-enabled sampling-rate tls-cert-path tls-key-path`) {
		knownFlags[Setting(f)] = true
	}
}

// KnownFlag reports whether Headlamp defines the flag.
func KnownFlag(s Setting) bool { return knownFlags[s] }

var versionTag = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)$`)

// ImageVersion reads the Headlamp version from an image reference's tag ("ghcr.io/...:v0.45.0" is
// 0.45.0); "" when the tag is no release version (latest, a digest, a branch build).
func ImageVersion(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	i := strings.LastIndex(image, ":")
	if i < 0 || i < strings.LastIndex(image, "/") {
		return ""
	}
	if m := versionTag.FindStringSubmatch(image[i+1:]); m != nil {
		return m[1]
	}
	return ""
}
