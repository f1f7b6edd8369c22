package headlamplog

import (
	"testing"
	"time"
)

// Lines as Headlamp's backend writes them (zerolog JSON; the reverse proxy's standard logger).
const sample = `{"level":"info","context":"main","clusterURL":"https://capsule-proxy.capsule-system.svc:9001","source":"/headlamp/backend/pkg/kubeconfig/kubeconfig.go","line":482,"time":"2026-12-06T10:00:00Z","message":"Proxy setup"}
2026/12/06 10:05:00 http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority
2026/12/06 10:06:00 http: proxy error: dial tcp: lookup capsule-proxy.capsule-system.svc: no such host
{"level":"error","idpIssuerURL":"https://dex/dex/","error":"oidc: issuer URL provided to client (\"https://dex/dex/\") did not match the issuer URL returned by provider (\"https://dex/dex\")","time":"2026-12-06T10:07:00Z","message":"failed to get provider"}
{"level":"error","idpIssuerURL":"https://dex/dex","error":"Get \"https://dex/dex/.well-known/openid-configuration\": tls: failed to verify certificate: x509: certificate signed by unknown authority","time":"2026-12-06T10:08:00Z","message":"failed to get provider"}
{"level":"error","cluster":"main","error":"refreshing token: oauth2: \"invalid_request\" \"Refresh token is invalid or has already been claimed by another client.\"","time":"2026-12-06T10:09:00Z","message":"failed to refresh token"}
{"level":"error","error":"oauth2: \"invalid_client\"","time":"2026-12-06T10:10:00Z","message":"failed to exchange token"}
{"level":"info","time":"2026-12-06T10:11:00Z","message":"Base URL: "}
not json {
`

func TestSummarizeKnowsHeadlampsLines(t *testing.T) {
	l := Summarize("h", Parse(sample), time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	if u, ok := l.ProxyURL("main"); !ok || u != "https://capsule-proxy.capsule-system.svc:9001" {
		t.Errorf("ProxyURL(main) = %q, %v", u, ok)
	}
	if _, ok := l.ProxyURL("other"); ok {
		t.Error("ProxyURL(other) found a context the log does not set up")
	}
	want := []Kind{KindAPITrust, KindAPIUnreachable, KindIssuerMismatch, KindIDPTrust, KindRefresh, KindSignIn}
	if len(l.Failures) != len(want) {
		t.Fatalf("failures = %+v, want kinds %v", l.Failures, want)
	}
	for i, k := range want {
		if l.Failures[i].Kind != k {
			t.Errorf("failure %d = %s (%s), want %s", i, l.Failures[i].Kind, l.Failures[i].Entry.Quote(), k)
		}
	}
	if q := l.Failures[0].Entry.Quote(); q != "http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority" {
		t.Errorf("quote = %q", q)
	}
	if l.Lines != 9 {
		t.Errorf("lines = %d, want 9", l.Lines)
	}
}

func TestSummarizeKeepsRecentFailuresOnly(t *testing.T) {
	l := Summarize("h", Parse(sample), time.Date(2026, 12, 6, 10, 8, 30, 0, time.UTC))
	if len(l.Failures) != 2 || l.Failures[0].Kind != KindRefresh {
		t.Errorf("failures since 10:08:30 = %+v, want the refresh and the exchange", l.Failures)
	}
	if f, ok := l.Last(KindAPITrust, KindAPIUnreachable); ok {
		t.Errorf("Last(api) = %+v, want none in the window", f)
	}
}

func TestTextProxySetup(t *testing.T) {
	e, _ := ParseLine(`2024/01/02 03:04:05 Proxy setup for context "main" to cluster url https://10.0.0.1:443`)
	if e.Message != MessageProxySetup || e.Fields["clusterURL"] != "https://10.0.0.1:443" || e.Fields["context"] != "main" {
		t.Errorf("entry = %+v", e)
	}
}
