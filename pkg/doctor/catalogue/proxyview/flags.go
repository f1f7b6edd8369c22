package proxyview

import (
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// capsule-proxy's flag defaults (its main.go, spf13/pflag).
const (
	DefaultUsernameClaim     = "preferred_username"
	DefaultConfigurationName = "default"
	// GateProxyClusterScoped is the feature gate under which capsule-proxy applies GlobalProxySettings
	// and drops the legacy proxySettings operations of ProxySettings.
	GateProxyClusterScoped = "ProxyClusterScoped"
)

// Flags are the capsule-proxy flags that decide who it thinks the user is and whom it filters for.
type Flags struct {
	// UsernameClaim is --oidc-username-claim: the claim of a JWT read as the user name.
	UsernameClaim string
	// ConfigurationName is --capsule-configuration-name: the CapsuleConfiguration whose users it filters for.
	ConfigurationName string
	// IgnoredUserGroups (--ignored-user-group) and IgnoredUsernames (--ignored-username) are passed
	// through unfiltered.
	IgnoredUserGroups []string
	IgnoredUsernames  []string
	// DeprecatedUserGroups is the deprecated --capsule-user-group.
	DeprecatedUserGroups []string
	// Gates is --feature-gates, by gate name.
	Gates map[string]bool
	// Set names the flags given explicitly, the others have their defaults.
	Set []string
}

// ParseFlags reads capsule-proxy's flags from a container the way the process sees them: command then
// args, with $(VAR) references expanded from the container's literal env like the kubelet does.
// capsule-proxy reads no settings from the environment itself. pflag syntax: --name=value or
// --name value; slices are comma separated and repeated flags add up.
func ParseFlags(c corev1.Container) Flags {
	f := Flags{UsernameClaim: DefaultUsernameClaim, ConfigurationName: DefaultConfigurationName, Gates: map[string]bool{}}
	env := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	argv := slices.Concat(c.Command, c.Args)
	for i, a := range argv {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !hasValue && i+1 < len(argv) && !strings.HasPrefix(argv[i+1], "-") {
			value = argv[i+1]
		}
		f.set(name, expand(value, env))
	}
	return f
}

func (f *Flags) set(name, value string) {
	switch name {
	case "oidc-username-claim":
		f.UsernameClaim = value
	case "capsule-configuration-name":
		f.ConfigurationName = value
	case "ignored-user-group":
		f.IgnoredUserGroups = append(f.IgnoredUserGroups, list(value)...)
	case "ignored-username":
		f.IgnoredUsernames = append(f.IgnoredUsernames, list(value)...)
	case "capsule-user-group":
		f.DeprecatedUserGroups = append(f.DeprecatedUserGroups, list(value)...)
	case "feature-gates":
		for _, kv := range list(value) {
			k, v, _ := strings.Cut(kv, "=")
			on, err := strconv.ParseBool(strings.TrimSpace(v))
			f.Gates[strings.TrimSpace(k)] = err == nil && on
		}
	default:
		return
	}
	if !slices.Contains(f.Set, name) {
		f.Set = append(f.Set, name)
	}
}

func list(value string) []string {
	var out []string
	for _, s := range strings.Split(value, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// expand replaces $(VAR) with the container's env value, as the kubelet does for command and args;
// $$ escapes a dollar and an unknown reference stays as written.
func expand(s string, env map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				b.WriteByte(s[i])
				continue
			}
			name := s[i+2 : i+end]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+end+1])
			}
			i += end
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
