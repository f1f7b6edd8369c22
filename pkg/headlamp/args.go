package headlamp

import "strings"

// boolFlags are Headlamp's boolean flags: Go's flag package lets them stand alone ("-in-cluster")
// and never gives them the next argument as value.
var boolFlags = map[Setting]bool{
	FlagInCluster: true, FlagInsecureSSL: true, FlagUnsafeSAToken: true,
	FlagOIDCUseAccessToken: true, FlagOIDCUsePKCE: true, FlagOIDCSkipTLSVerify: true,
	"oidc-use-cookie": true, "dev": true, "enable-helm": true, "enable-dynamic-clusters": true,
	"watch-plugins-changes": true, "enable-cluster-inventory": true, "disable-plugins": true,
}

// argFlag is one flag on the command line, with its value still unexpanded.
type argFlag struct {
	name  Setting
	raw   string
	given string // the flag as written, without value: "-oidc-scopes" or "--oidc-scopes"
}

// scanFlags reads flags the way Go's flag package does: -name, --name, -name=value, and -name value
// for flags that are not boolean; parsing stops at "--" or at the first argument that is no flag.
func scanFlags(tokens []string) []argFlag {
	var flags []argFlag
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if t == "--" || len(t) < 2 || t[0] != '-' {
			break
		}
		dashes := "-"
		if strings.HasPrefix(t, "--") {
			dashes = "--"
		}
		name, raw, hasValue := strings.Cut(strings.TrimPrefix(t, dashes), "=")
		f := argFlag{name: Setting(name), raw: raw, given: dashes + name}
		switch {
		case hasValue:
		case boolFlags[f.name]:
			f.raw = "true"
		case i+1 < len(tokens):
			i++
			f.raw = tokens[i]
		}
		flags = append(flags, f)
	}
	return flags
}

// containerArgs are the tokens Headlamp's flag parser sees: args, or the command after the binary
// when the Deployment overrides the image's entrypoint.
func containerArgs(command, args []string) []string {
	var tokens []string
	if len(command) > 1 {
		tokens = append(tokens, command[1:]...)
	}
	return append(tokens, args...)
}
