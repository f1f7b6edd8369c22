package headlamp

import "strings"

// boolFlags are Headlamp's boolean flags: they never consume the next argument.
var boolFlags = map[string]bool{
	"in-cluster": true, "insecure-ssl": true, "oidc-use-access-token": true, "oidc-use-pkce": true,
	"oidc-skip-tls-verify": true, "unsafe-use-service-account-token": true, "dev": true,
	"enable-dynamic-clusters": true, "watch-plugins-changes": true, "oidc-use-cookie": true,
}

// parseFlags reads Go flag-style arguments (-name=value, --name value, -bool); anything that is not
// a flag (the binary, positional words) is skipped.
func parseFlags(args []string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			continue
		}
		name := strings.TrimLeft(a, "-")
		if k, v, ok := strings.Cut(name, "="); ok {
			out[k] = v
			continue
		}
		if boolFlags[name] {
			out[name] = "true"
			continue
		}
		if i+1 < len(args) {
			out[name] = args[i+1]
			i++
		}
	}
	return out
}
