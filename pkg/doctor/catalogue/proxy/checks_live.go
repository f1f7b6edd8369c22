package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// FactDialer hands the port-forward dialer to the live checks, like any other input.
const FactDialer engine.Key[area.PodDialer] = "pod-dialer"

func dialerFacts(env area.Env) []engine.Fact {
	return []engine.Fact{engine.Define(FactDialer, nil, func(context.Context, engine.Facts) (area.PodDialer, error) {
		if env.Dialer == nil {
			return nil, errors.New("no port-forward dialer")
		}
		return env.Dialer, nil
	})}
}

func liveChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDTLSLive, Title: "A proxy pod serves a certificate Headlamp trusts", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDEndpoints, IDCertChain, IDCertSAN, IDCertUsage, IDCertValidity},
			Needs: []engine.FactName{FactDialer.Name(), FactEndpoints.Name(), FactSecret.Name(),
				FactService.Name(), headlampview.FactView.Name(), headlampview.FactCA.Name()},
			Hint: "capsule-proxy does not serve the certificate its Secret and Headlamp expect, or does not answer: restart it " +
				"(kubectl -n <proxy-namespace> rollout restart deployment/capsule-proxy) and, after a CA change, Headlamp; " +
				"if it still hangs, read its logs (kubectl -n <proxy-namespace> logs deployment/capsule-proxy)",
			Causes: []engine.Cause{{Name: causeHeadlampCA, When: "capsule-proxy serves its Secret's certificate but Headlamp's projected CA did not sign it",
				Hint: "capsule-proxy is right, Headlamp's CA is not: project the CA of Secret <proxy-namespace>/<proxy-secret> as ca.crt " +
					"(HEADLAMP-CA says from where), then restart Headlamp: kubectl -n <namespace> rollout restart deployment/<deployment>"}},
			Explain: "A TLS handshake with each ready proxy pod through a port-forward, with ServerName set to " +
				"Headlamp's API host, verified against the Secret's CA and against the CA Headlamp projects: what " +
				"Headlamp's own client would do. It runs once the Secret's certificate is sound (chain, names, " +
				"key usage, validity), so it reports what only a live pod shows: a certificate not reloaded, or a hung proxy.",
			Run: checkTLSLive,
		},
		{
			ID: IDHealthz, Title: "capsule-proxy answers /_healthz", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDTLSLive},
			Needs:     []engine.FactName{FactDialer.Name(), FactEndpoints.Name(), FactSecret.Name(), FactService.Name(), headlampview.FactView.Name()},
			Hint:      "capsule-proxy accepts TLS but does not answer: read its logs: kubectl -n <proxy-namespace> logs deployment/capsule-proxy",
			Explain:   "An unauthenticated GET /_healthz on port 9001 answers `ok` when the proxy serves requests.",
			Run:       checkHealthz,
		},
	}
}

// ServerName is the name Headlamp's client verifies: its KUBERNETES_SERVICE_HOST, else the Service name.
func ServerName(f engine.Facts) string {
	if h, err := headlampview.Get(f, headlamp.SettingAPIHost); err == nil && h.APIHost != "" {
		return h.APIHost
	}
	if svc, err := FactService.Get(f); err == nil {
		return svc.Name + "." + svc.Namespace + ".svc"
	}
	return ""
}

// tlsAnswerTime is how long (at most half the check's remaining time) a proxy pod that accepted a
// connection may take to answer the TLS handshake before doctor calls it hung: capsule-proxy answers in
// milliseconds.
const tlsAnswerTime = 5 * time.Second

// causeHeadlampCA names the failure of PROXY-TLS-LIVE where the proxy is right and Headlamp's CA wrong.
const causeHeadlampCA = "headlamp-ca"

// errNoForward marks a port-forward that could not be opened: doctor could not look, whatever the proxy does.
var errNoForward = errors.New("no port-forward to the pod")

// errHung marks a pod that accepted the connection and did not answer within tlsAnswerTime.
var errHung = errors.New("accepted the connection but did not answer: capsule-proxy is hung")

// handshake opens a TLS connection to a pod port. Verification is done by the caller, against several
// CAs, so the handshake itself accepts any certificate.
func handshake(ctx context.Context, d area.PodDialer, ns string, ep Endpoint, name string) (*tls.Conn, error) {
	conn, err := d.DialPod(ctx, ns, ep.Pod, ep.Port)
	if err != nil {
		return nil, area.WrapAccess(area.Access{Verb: "create", Resource: "pods", Subresource: "portforward", Namespace: ns, Name: ep.Pod},
			fmt.Errorf("%w: %w", errNoForward, err))
	}
	wait := tlsAnswerTime
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)/2) // leave time to say so within the check's own timeout
	}
	hsCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tc := tls.Client(conn, &tls.Config{ServerName: name, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // verified by hand against two CAs
	if err := tc.HandshakeContext(hsCtx); err != nil {
		_ = conn.Close()
		if ctx.Err() == nil && hsCtx.Err() != nil {
			err = fmt.Errorf("%w (no TLS answer within %s)", errHung, wait.Round(time.Millisecond))
		}
		return nil, fmt.Errorf("TLS handshake with pod %s/%s port %d: %w", ns, ep.Pod, ep.Port, err)
	}
	return tc, nil
}

// LiveInputs are what reaching a proxy pod needs: the dialer, the ready endpoints on the port Headlamp
// uses, and the proxy's Secret.
func LiveInputs(f engine.Facts) (area.PodDialer, []Endpoint, Secret, error) {
	d, err := FactDialer.Get(f)
	if err != nil {
		return nil, nil, Secret{}, err
	}
	eps, err := FactEndpoints.Get(f)
	if err != nil {
		return nil, nil, Secret{}, err
	}
	ps, err := FactSecret.Get(f)
	return d, onPort(eps, headlampPortName(f)), ps, err
}

func checkTLSLive(ctx context.Context, f engine.Facts) engine.Result {
	d, eps, ps, err := LiveInputs(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	name := ServerName(f)
	headlampCA, caNote := ProjectedRoots(f)
	for _, ep := range eps {
		tc, err := handshake(ctx, d, ps.Namespace, ep, name)
		if err != nil {
			return liveError(ctx, err)
		}
		served := tc.ConnectionState().PeerCertificates
		_ = tc.Close()
		if r, bad := judgeServed(served, ps, headlampCA, name, f.Now()); bad {
			return r.With("pod", ep.Pod).With("serverName", name)
		}
	}
	return engine.Pass("%d pod(s) serve a certificate for %s that verifies against the Secret's CA%s", len(eps), name, caNote).
		With("serverName", name)
}

// ProjectedRoots is the CA Headlamp projects, when known, and a note for the pass message.
func ProjectedRoots(f engine.Facts) ([]*x509.Certificate, string) {
	pc, err := headlampview.FactCA.Get(f)
	if err != nil || !pc.Found || pc.Err != nil {
		return nil, " (Headlamp's projected CA is not known)"
	}
	return pc.Certs, " and against Headlamp's " + pc.Ref.String()
}

func judgeServed(served []*x509.Certificate, ps Secret, headlampCA []*x509.Certificate, name string, now time.Time) (engine.Result, bool) {
	if err := trust.Verify(served, ps.CA, name, now); err != nil {
		return engine.Problem("the served certificate fails verification with the Secret's CA: %v", err).
			With("served", trust.Fingerprint(served[0])).With("secret", trust.Fingerprint(ps.Chain[0])), true
	}
	if headlampCA != nil {
		if err := trust.Verify(served, headlampCA, name, now); err != nil {
			return engine.Problem("Headlamp would reject the served certificate: %v", err).With("served", trust.Fingerprint(served[0])).
				Because(causeHeadlampCA), true
		}
	}
	if !served[0].Equal(ps.Chain[0]) {
		return engine.Warn("the pod serves another certificate than the Secret's tls.crt (not reloaded yet?)").
			With("served", trust.Fingerprint(served[0])).With("secret", trust.Fingerprint(ps.Chain[0])), true
	}
	return engine.Result{}, false
}

// liveError reports a connection that did not happen: unknown (doctor could not look), naming the pod;
// but a pod that took the connection and then said nothing is a hung proxy, which Headlamp meets too.
func liveError(ctx context.Context, err error) engine.Result {
	switch {
	case errors.Is(err, errHung):
		return engine.Problem("%v", err)
	case errors.Is(err, errNoForward):
		return area.CouldNotLook(err)
	}
	if ctx.Err() != nil {
		return engine.Unknown("no answer: %v", err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.EOF) {
		return engine.Unknown("%v", err)
	}
	return engine.Problem("%v", err)
}

func checkHealthz(ctx context.Context, f engine.Facts) engine.Result {
	d, eps, ps, err := LiveInputs(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	name := ServerName(f)
	ep := eps[0]
	tc, err := handshake(ctx, d, ps.Namespace, ep, name)
	if err != nil {
		return liveError(ctx, err)
	}
	defer func() { _ = tc.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = tc.Close() })
	defer stop()
	status, body, err := getHealthz(ctx, tc, name)
	if err != nil {
		return liveError(ctx, fmt.Errorf("GET /_healthz on pod %s/%s: %w", ps.Namespace, ep.Pod, err))
	}
	if status != http.StatusOK || body != "ok" {
		return engine.Problem("GET /_healthz on pod %s answered %d %q, want 200 \"ok\"", ep.Pod, status, body)
	}
	return engine.Pass("pod %s answered ok", ep.Pod)
}

func getHealthz(ctx context.Context, conn net.Conn, host string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+host+"/_healthz", nil)
	if err != nil {
		return 0, "", err
	}
	req.Close = true
	if err := req.Write(conn); err != nil {
		return 0, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	return resp.StatusCode, strings.TrimSpace(string(body)), err
}
