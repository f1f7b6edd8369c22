package identity

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"

	corev1 "k8s.io/api/core/v1"

	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp/headlamplog"
)

// IDHeadlampLog judges Headlamp's own log.
const IDHeadlampLog engine.ID = "HEADLAMP-LOG"

// causeAPIURL: Headlamp's log says it proxies to another address than capsule-proxy.
const causeAPIURL = "api-url"

// logCauses maps a kind of known error line to the cause HEADLAMP-LOG names.
var logCauses = map[headlamplog.Kind]string{
	headlamplog.KindAPITrust: causeProxyTrust, headlamplog.KindAPIUnreachable: causeProxyReach,
	headlamplog.KindIssuerMismatch: causeIssuerMismatch, headlamplog.KindIDPTrust: causeIDPTrust,
	headlamplog.KindRefresh: string(headlamplog.KindRefresh), headlamplog.KindSignIn: string(headlamplog.KindSignIn),
}

func headlampLogCheck() engine.Check {
	return engine.Check{
		ID: IDHeadlampLog, Title: "Headlamp's own log shows the API URL it uses and no known failure", Category: CategoryLive,
		Severity: engine.SeverityError, DependsOn: []engine.ID{hlcheck.IDReady},
		Needs: names(idHeadlampConn, idHeadlampLog, idOIDCProbe, idAPIProbe),
		Hint:  "Read the lines quoted above in kubectl -n <namespace> logs <pod>",
		Causes: []engine.Cause{
			{Name: causeAPIURL, When: "Headlamp's `Proxy setup` line names another address than capsule-proxy's Service",
				Hint: "Headlamp sends tenants' requests past capsule-proxy: set KUBERNETES_SERVICE_HOST/PORT to capsule-proxy's Service " +
					"(HEADLAMP-API-HOST) and restart Headlamp, which reads them at start"},
			{Name: causeProxyTrust, When: "Headlamp logged `http: proxy error` with an x509 or tls error",
				Hint: "Headlamp does not trust capsule-proxy's certificate. It reads the proxy CA only at start: after a CA rotation " +
					"restart it (kubectl -n <namespace> rollout restart deployment/<deployment>); otherwise HEADLAMP-CA and PROXY-TLS-LIVE say which side is wrong"},
			{Name: causeProxyReach, When: "Headlamp logged `http: proxy error` without a TLS error",
				Hint: "Headlamp could not connect to capsule-proxy: see HEADLAMP-API-HOST, PROXY-ENDPOINTS and NETPOL-PROXY"},
			{Name: causeIssuerMismatch, When: "Headlamp logged that its issuer URL is not the discovery document's",
				Hint: "Set Headlamp's -oidc-idp-issuer-url (HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL) to exactly the issuer of the IdP's " +
					"discovery document (IDP-ISSUER-MATCH), as in the API server's jwt[].issuer.url, and restart Headlamp"},
			{Name: causeIDPTrust, When: "Headlamp logged an x509 or tls error, or no usable CA, talking to the IdP",
				Hint: "Give Headlamp the IdP's CA (IDP-DISCOVERY-HEADLAMP says what it trusts): re-running " +
					"`kubectl capsule-headlamp install --oidc-ca-file FILE` mounts it and restarts Headlamp"},
			{Name: string(headlamplog.KindRefresh), When: "Headlamp logged `failed to refresh token`: a session ended early",
				Hint: "Headlamp refreshes a token 10 s before it expires, with the refresh token the sign-in gave, which lives " +
					"in the pod's memory: SESSION-REFRESH-TOKEN and SESSION-REFRESH say whether the IdP gives and honours one " +
					"(offline_access); a restart or a second replica loses them (HEADLAMP-REPLICAS)"},
			{Name: string(headlamplog.KindSignIn), When: "Headlamp logged a failed code exchange or ID token at the sign-in callback",
				Hint: "`invalid_client` means the client secret Headlamp holds is not the IdP's (IDP-CLIENT); an ID token Headlamp " +
					"refuses has another audience or issuer than its client (TOKEN-AUDIENCE, TOKEN-ISSUER)"},
		},
		Explain: "Reads the recent log of the Headlamp pod the live probes used (get pods/log; at most " +
			strconv.Itoa(headlamplog.TailLines) + " lines and " + strconv.Itoa(headlamplog.LimitBytes>>10) + " KiB of the last " +
			"day), after the probes, so it holds what they made Headlamp write. Headlamp logs `Proxy setup` with the API URL it " +
			"really uses when it starts, which must be capsule-proxy's Service; its reverse proxy logs `http: proxy error` when " +
			"capsule-proxy cannot be reached or trusted; its sign-in and refresh log `failed to get provider`, `failed to " +
			"refresh token`, `failed to exchange token` with go-oidc's and oauth2's errors (issuer mismatch, x509). A failure " +
			"counts when logged in the last hour, unless this run's live probe of the same hop got through (the failure " +
			"is then history, named but not failed: HEADLAMP-API-LIVE for the proxy errors, HEADLAMP-OIDC-LIVE for the IdP's). " +
			"Without permission to read the log the check is unknown, not failed.",
		Run: checkHeadlampLog,
	}
}

func checkHeadlampLog(_ context.Context, f engine.Facts) engine.Result {
	c, err := idHeadlampConn.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	l, err := idHeadlampLog.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	return judgeLog(l, c.Cluster, c.ProxyService, probedFine(f)).With("pod", c.Pod).WithVar("pod", c.Pod)
}

// probedFine are the kinds of failure that this run's live probes show are over: a request through
// the same hop just got through. A probe that did not run (no token) or failed disproves nothing.
func probedFine(f engine.Facts) map[headlamplog.Kind]bool {
	fine := map[headlamplog.Kind]bool{}
	if p, err := idAPIProbe.Get(f); err == nil && p.Failed == nil {
		fine[headlamplog.KindAPITrust], fine[headlamplog.KindAPIUnreachable] = true, true
	}
	// Headlamp asks the IdP for its discovery document on every /oidc: a redirect means it trusts the
	// IdP and the issuers match now.
	if a, err := idOIDCProbe.Get(f); err == nil && a.Status == http.StatusFound {
		fine[headlamplog.KindIssuerMismatch], fine[headlamplog.KindIDPTrust] = true, true
	}
	return fine
}

// judgeLog judges a pod's log: the URL its in-cluster context proxies to (when svc, capsule-proxy's
// Service, is known), then its known failures, except those of the kinds over says are over now.
func judgeLog(l headlamplog.Log, cluster string, svc *corev1.Service, over map[headlamplog.Kind]bool) engine.Result {
	apiURL, found := l.ProxyURL(cluster)
	if found && svc != nil && !urlNamesService(apiURL, svc) {
		return engine.Problem("Headlamp's log: context %s is proxied to %s, not to capsule-proxy (Service %s/%s)",
			cluster, apiURL, svc.Namespace, svc.Name).Because(causeAPIURL).With("api url", apiURL)
	}
	now, past := splitFailures(l, over)
	var r engine.Result
	switch {
	case len(now.Failures) > 0:
		r = logFailure(now).With("lines", quotes(now.Failures))
	case len(past.Failures) > 0:
		last := past.Failures[len(past.Failures)-1]
		r = engine.Pass("no current failure in the last %d line(s) of %s; %d earlier one(s) that this run's live probes got past, the last: %s; %s",
			l.Lines, l.Pod, len(past.Failures), last.Entry.Quote(), proxySays(cluster, apiURL, found)).With("earlier lines", quotes(past.Failures))
	default:
		r = engine.Pass("no known failure in the last %d line(s) of %s; %s", l.Lines, l.Pod, proxySays(cluster, apiURL, found))
	}
	if found {
		r = r.With("api url", apiURL)
	}
	return r
}

// splitFailures parts l's failures into those still current and those of the kinds that are over.
func splitFailures(l headlamplog.Log, over map[headlamplog.Kind]bool) (now, past headlamplog.Log) {
	now, past = l, l
	now.Failures, past.Failures = nil, nil
	for _, f := range l.Failures {
		if over[f.Kind] {
			past.Failures = append(past.Failures, f)
		} else {
			now.Failures = append(now.Failures, f)
		}
	}
	return now, past
}

// logFailure names the first kind, in the order of the path, that the log shows, with its last line.
func logFailure(l headlamplog.Log) engine.Result {
	for _, k := range headlamplog.Kinds {
		if last, ok := l.Last(k); ok {
			r := engine.Problem("Headlamp logged: %s", last.Entry.Quote())
			if n := len(l.Failures) - 1; n > 0 {
				r = engine.Problem("Headlamp logged: %s (and %d other known failure(s) in the last hour)", last.Entry.Quote(), n)
			}
			return r.Because(logCauses[k])
		}
	}
	return engine.Problem("Headlamp logged %d known failure(s) in the last hour", len(l.Failures))
}

func proxySays(cluster, apiURL string, found bool) string {
	if !found {
		return "no `Proxy setup` line for context " + cluster + " among them (Headlamp logs it at start)"
	}
	return fmt.Sprintf("context %s is proxied to %s", cluster, apiURL)
}

// urlNamesService reports whether a URL's host and port are the Service's.
func urlNamesService(raw string, svc *corev1.Service) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Hostname(), "443"
	}
	p, err := strconv.Atoi(port)
	if err != nil || !proxy.NamesService(host, svc) {
		return false
	}
	_, ok := proxy.ServicePort(svc, int32(p)) //nolint:gosec // a port number parsed from a URL
	return ok
}

// quotes are the last lines of the failures, most recent last.
func quotes(fs []headlamplog.Failure) []string {
	if len(fs) > 5 {
		fs = fs[len(fs)-5:]
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Entry.Quote()
	}
	return out
}
