package doctor

import (
	"context"
	"fmt"
	"strings"
)

// CategoryProxy groups the checks of capsule-proxy.
const CategoryProxy = "capsule-proxy"

func proxyChecks() []Check {
	return []Check{
		{
			ID: "PROXY-SERVICE", Title: "capsule-proxy's Service exists", Category: CategoryProxy, Severity: SeverityError,
			DependsOn: []ID{"CLUSTER-API"}, Needs: []FactName{factProxyService.Name()},
			Hint:    "Install capsule-proxy (its Helm chart creates Service capsule-proxy in capsule-system), or point doctor at yours with --proxy-namespace and --proxy-service",
			Explain: "Headlamp reaches the API through this Service (port 9001, HTTPS).",
			Run:     checkProxyService,
		},
		{
			ID: "PROXY-ENDPOINTS", Title: "capsule-proxy has ready endpoints", Category: CategoryProxy, Severity: SeverityError,
			DependsOn: []ID{"PROXY-SERVICE"}, Needs: []FactName{factProxyEndpoints.Name()},
			Hint: "No ready capsule-proxy pod backs the Service: kubectl -n <proxy-namespace> get pods -l app.kubernetes.io/name=capsule-proxy; " +
				"kubectl -n <proxy-namespace> get endpointslices -l kubernetes.io/service-name=<proxy-service>",
			Explain: "Read from the Service's EndpointSlices: a Service whose selector matches no ready pod refuses every connection.",
			Run:     checkProxyEndpoints,
		},
		{
			ID: "PROXY-SECRET", Title: "capsule-proxy's certificate Secret holds tls.crt and its CA", Category: CategoryProxy,
			Severity: SeverityError, DependsOn: []ID{"CLUSTER-API"}, Needs: []FactName{factProxySecret.Name()},
			Hint: "Secret <proxy-namespace>/<proxy-secret> must hold tls.crt and the CA under ca.crt (cert-manager) or ca (certgen Job): " +
				"kubectl -n <proxy-namespace> get secret <proxy-secret> -o jsonpath='{.data}'; with --proxy-secret, name another Secret",
			Explain: "capsule-proxy serves tls.crt; Headlamp must trust the CA that signed it, which it can only " +
				"project from a Secret key that exists.",
			Run: checkProxySecret,
		},
	}
}

func checkProxyService(_ context.Context, f Facts) Result {
	svc, err := factProxyService.Get(f)
	if notFound(err) {
		return Problem("%s not found", unwrapAccess(err))
	}
	if err != nil {
		return couldNotLook(err)
	}
	var ports []string
	for _, p := range svc.Spec.Ports {
		ports = append(ports, fmt.Sprintf("%d (%s)", p.Port, p.Name))
	}
	if len(ports) == 0 {
		return Problem("Service %s/%s has no port", svc.Namespace, svc.Name)
	}
	return Pass("%s/%s port %s", svc.Namespace, svc.Name, strings.Join(ports, ", "))
}

func checkProxyEndpoints(_ context.Context, f Facts) Result {
	eps, err := factProxyEndpoints.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	if len(eps) == 0 {
		return Problem("no ready pod behind the Service")
	}
	var pods []string
	for _, e := range eps {
		pods = append(pods, fmt.Sprintf("%s (%s:%d)", e.Pod, e.IP, e.Port))
	}
	return Pass("%d ready: %s", len(eps), strings.Join(pods, ", ")).With("pods", pods)
}

func checkProxySecret(_ context.Context, f Facts) Result {
	ps, err := factProxySecret.Get(f)
	if notFound(err) {
		return Problem("%s not found", unwrapAccess(err))
	}
	if err != nil {
		return couldNotLook(err)
	}
	var r Result
	switch {
	case ps.ChainErr != nil:
		r = Problem("tls.crt: %v", ps.ChainErr)
	case ps.CAKey == "":
		r = Problem("no CA key (ca.crt or ca): Headlamp has no CA to trust capsule-proxy with")
	case ps.CAErr != nil:
		r = Problem("key %s: %v", ps.CAKey, ps.CAErr)
	case ps.CAKey == "ca":
		r = Pass("CA under key ca (certgen layout): Headlamp must project key ca, not ca.crt")
	default:
		r = Pass("CA under key %s", ps.CAKey)
	}
	return r.With("keys", ps.Keys)
}
