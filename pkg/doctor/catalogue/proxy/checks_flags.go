package proxy

import (
	"context"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The checks of how capsule-proxy is configured to identify users and apply its settings.
const (
	IDDeployment engine.ID = "PROXY-DEPLOYMENT"
	IDSettings   engine.ID = "PROXY-SETTINGS"
)

func flagChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDDeployment, Title: "capsule-proxy's Deployment and flags are read", Category: Category, Severity: engine.SeverityWarning,
			DependsOn: []engine.ID{IDService}, Needs: []engine.FactName{proxyview.FactDeployment.Name()},
			Hint: "doctor reads capsule-proxy's flags from the Deployment whose pods the Service selects: " +
				"kubectl -n <proxy-namespace> get deployments --show-labels; kubectl -n <proxy-namespace> get svc <proxy-service> -o jsonpath='{.spec.selector}'",
			Explain: "capsule-proxy's --oidc-username-claim (default preferred_username), --capsule-configuration-name (default " +
				"default), --ignored-user-group and --feature-gates decide whom it recognises and filters for. They are read " +
				"from the container's command and args, with $(VAR) references expanded from its env as the kubelet does; " +
				"capsule-proxy reads no other setting from its environment. The checks that judge these flags build on this one.",
			Run: checkProxyDeployment,
		},
		{
			ID: IDSettings, Title: "capsule-proxy applies the ProxySettings and GlobalProxySettings that exist", Category: Category,
			Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDDeployment}, Needs: []engine.FactName{proxyview.FactDeployment.Name(), FactProxySettings.Name()},
			Hint: "With GlobalProxySettings, run capsule-proxy with --feature-gates=ProxyClusterScoped=true and move the proxySettings " +
				"operations of ProxySettings to clusterResources or GlobalProxySettings; without them, drop the unused GlobalProxySettings",
			Explain: "capsule-proxy applies GlobalProxySettings only under its ProxyClusterScoped feature gate, and under that gate it " +
				"ignores the legacy proxySettings operations of ProxySettings (spec.subjects[].proxySettings). Either way some " +
				"settings that exist are silently not applied, and tenants miss the cluster-scoped views they grant.",
			Run: checkProxySettings,
		},
	}
}

func checkProxyDeployment(_ context.Context, f engine.Facts) engine.Result {
	d, err := proxyview.FactDeployment.Get(f)
	if area.NotFound(err) {
		return engine.Unknown("%v: capsule-proxy's flags are not visible, so their defaults are assumed", area.Unwrap(err))
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	fl := d.Flags
	r := engine.Pass("%s: --oidc-username-claim=%s, CapsuleConfiguration %s", d.Ref(), fl.UsernameClaim, fl.ConfigurationName).
		With("deployment", d.Ref()).With("usernameClaim", fl.UsernameClaim).With("capsuleConfiguration", fl.ConfigurationName)
	if len(fl.IgnoredUserGroups) > 0 {
		r = r.With("ignoredUserGroups", fl.IgnoredUserGroups)
	}
	if len(fl.DeprecatedUserGroups) > 0 {
		return engine.Problem("%s sets the deprecated --capsule-user-group=%s: name the groups in CapsuleConfiguration %s spec.users instead",
			d.Ref(), strings.Join(fl.DeprecatedUserGroups, ","), fl.ConfigurationName).With("deployment", d.Ref())
	}
	return r
}

func checkProxySettings(_ context.Context, f engine.Facts) engine.Result {
	d, err := proxyview.FactDeployment.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	s, err := FactProxySettings.Get(f)
	if area.NotFound(err) {
		return engine.NotApplicable("capsule-proxy's CRDs are not served: %v", area.Unwrap(err))
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	gate := d.Flags.Gates[proxyview.GateProxyClusterScoped]
	switch {
	case !gate && len(s.Global) > 0:
		return engine.Problem("GlobalProxySettings %s are ignored: %s runs without --feature-gates=%s=true",
			engine.Summarize(s.Global), d.Ref(), proxyview.GateProxyClusterScoped).With("globalProxySettings", s.Global)
	case gate && len(s.Legacy) > 0:
		return engine.Problem("the proxySettings operations of ProxySetting %s are ignored: %s runs with %s, which applies only clusterResources and GlobalProxySettings",
			engine.Summarize(s.Legacy), d.Ref(), proxyview.GateProxyClusterScoped).With("proxySettings", s.Legacy)
	}
	return engine.Pass("%s, %d ProxySetting(s), %d GlobalProxySettings", gateState(gate), s.Namespaced, len(s.Global))
}

func gateState(on bool) string {
	if on {
		return fmt.Sprintf("%s on", proxyview.GateProxyClusterScoped)
	}
	return fmt.Sprintf("%s off", proxyview.GateProxyClusterScoped)
}
