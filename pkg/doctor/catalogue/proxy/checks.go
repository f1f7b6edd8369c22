// Package proxy is the area of doctor's catalogue that checks capsule-proxy as Headlamp reaches it:
// its Service and ready endpoints, its certificate Secret (chain, names, validity), and a live TLS
// handshake and health probe through a port-forward, verified with the host and CA Headlamp uses.
package proxy

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Category groups the checks of capsule-proxy.
const Category = "capsule-proxy"

// The capsule-proxy checks.
const (
	IDService      engine.ID = "PROXY-SERVICE"
	IDCRDs         engine.ID = "PROXY-CRDS"
	IDEndpoints    engine.ID = "PROXY-ENDPOINTS"
	IDSecret       engine.ID = "PROXY-SECRET"
	IDCertChain    engine.ID = "PROXY-CERT-CHAIN"
	IDCertSAN      engine.ID = "PROXY-CERT-SAN"
	IDCertUsage    engine.ID = "PROXY-CERT-USAGE"
	IDCertValidity engine.ID = "PROXY-CERT-VALIDITY"
	IDTLSLive      engine.ID = "PROXY-TLS-LIVE"
	IDHealthz      engine.ID = "PROXY-HEALTHZ"
)

// Checks are the capsule-proxy checks, in catalogue order.
func Checks() []engine.Check {
	return slices.Concat(objectChecks(), certChecks(), liveChecks(), flagChecks())
}

func objectChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDService, Title: "capsule-proxy's Service exists", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{FactService.Name()},
			Hint:    "Install capsule-proxy (its Helm chart creates Service capsule-proxy in capsule-system), or point at yours with --proxy-namespace and --proxy-service",
			Explain: "Headlamp reaches the API through this Service (port 9001, HTTPS).",
			Run:     checkProxyService,
		},
		{
			ID: IDCRDs, Title: "capsule-proxy's CRDs are installed", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{FactCRDs.Name()},
			Hint: "Install capsule-proxy's CRDs (its Helm chart has them: helm upgrade --install with crds enabled, or kubectl apply " +
				"the chart's crds folder), then restart it: kubectl -n <proxy-namespace> rollout restart deployment/capsule-proxy",
			Explain: "capsule-proxy watches its own kinds, ProxySetting and GlobalProxySettings (" + crdGroupVersion + "), " +
				"and exits at start when they are not served (`cannot create new Field Indexer: no matches for kind " +
				"ProxySetting`): Capsule's CRDs alone are not enough. Read from the API's discovery.",
			Run: checkProxyCRDs,
		},
		{
			ID: IDEndpoints, Title: "capsule-proxy has ready endpoints", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDService, IDCRDs}, Needs: []engine.FactName{FactEndpoints.Name()},
			Hint: "No ready capsule-proxy pod backs the Service: kubectl -n <proxy-namespace> get pods -l app.kubernetes.io/name=capsule-proxy; " +
				"kubectl -n <proxy-namespace> get endpointslices -l kubernetes.io/service-name=<proxy-service>",
			Explain: "Read from the Service's EndpointSlices: a Service whose selector matches no ready pod refuses every connection.",
			Run:     checkProxyEndpoints,
		},
		{
			ID: IDSecret, Title: "capsule-proxy's certificate Secret holds tls.crt and its CA", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{FactSecret.Name()},
			Hint: "Secret <proxy-namespace>/<proxy-secret> must hold tls.crt and the CA under ca.crt (cert-manager) or ca (certgen Job): " +
				"kubectl -n <proxy-namespace> get secret <proxy-secret> -o jsonpath='{.data}'; name another Secret with --proxy-secret (install: --proxy-ca-secret)",
			Explain: "capsule-proxy serves tls.crt; Headlamp must trust the CA that signed it, which it can only " +
				"project from a Secret key that exists.",
			Run: checkProxySecret,
		},
	}
}

func checkProxyService(_ context.Context, f engine.Facts) engine.Result {
	svc, err := FactService.Get(f)
	if area.NotFound(err) {
		return engine.Problem("%v", area.Unwrap(err)) // the API's own words: services "x" not found
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	var ports []string
	for _, p := range svc.Spec.Ports {
		ports = append(ports, fmt.Sprintf("%d (%s)", p.Port, p.Name))
	}
	if len(ports) == 0 {
		return engine.Problem("Service %s/%s has no port", svc.Namespace, svc.Name)
	}
	return engine.Pass("%s/%s port %s", svc.Namespace, svc.Name, strings.Join(ports, ", "))
}

func checkProxyEndpoints(_ context.Context, f engine.Facts) engine.Result {
	eps, err := FactEndpoints.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(eps) == 0 {
		return engine.Problem("no ready pod behind the Service")
	}
	var pods []string
	for _, e := range eps {
		pods = append(pods, fmt.Sprintf("%s (%s:%d)", e.Pod, e.IP, e.Port))
	}
	return engine.Pass("%d ready: %s", len(eps), engine.Summarize(pods)).With("pods", pods)
}

func checkProxySecret(_ context.Context, f engine.Facts) engine.Result {
	ps, err := FactSecret.Get(f)
	if area.NotFound(err) {
		return engine.Problem("%v", area.Unwrap(err))
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	var r engine.Result
	switch {
	case ps.ChainErr != nil:
		r = engine.Problem("tls.crt: %v", ps.ChainErr)
	case ps.CAKey == "":
		r = engine.Problem("no CA key (ca.crt or ca): Headlamp has no CA to trust capsule-proxy with")
	case ps.CAErr != nil:
		r = engine.Problem("key %s: %v", ps.CAKey, ps.CAErr)
	case ps.CAKey == "ca":
		r = engine.Pass("CA under key ca (certgen layout): Headlamp must project key ca, not ca.crt")
	default:
		r = engine.Pass("CA under key %s", ps.CAKey)
	}
	return r.With("keys", ps.Keys)
}
