package identity

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp/headlamplog"
)

const setupLine = `{"level":"info","context":"main","clusterURL":"https://capsule-proxy.capsule-system.svc:9001","time":"2026-12-06T10:00:00Z","message":"Proxy setup"}`

func proxyService() *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"},
		Spec: corev1.ServiceSpec{ClusterIP: "10.96.0.20", Ports: []corev1.ServicePort{{Port: 9001}}}}
}

// TestHeadlampLogJudgesItsLines: the `Proxy setup` line says which API URL Headlamp really uses, and
// each known error line names its cause; a healthy log passes and says the URL.
func TestHeadlampLogJudgesItsLines(t *testing.T) {
	for _, tt := range []struct {
		name, log, status, cause, says string
	}{
		{"healthy", setupLine, "pass", "", "proxied to https://capsule-proxy.capsule-system.svc:9001"},
		{"no setup line", `{"level":"info","message":"Base URL: "}`, "pass", "", "no `Proxy setup` line"},
		{"past the proxy", strings.Replace(setupLine, "capsule-proxy.capsule-system.svc:9001", "10.96.0.1:443", 1), "fail", causeAPIURL,
			"proxied to https://10.96.0.1:443, not to capsule-proxy"},
		{"proxy CA", setupLine + "\n2026/12/06 10:05:00 http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority",
			"fail", causeProxyTrust, "x509: certificate signed by unknown authority"},
		{"issuer", `{"level":"error","error":"oidc: issuer URL provided to client (\"https://i/\") did not match the issuer URL returned by provider (\"https://i\")","message":"failed to get provider"}`,
			"fail", causeIssuerMismatch, "did not match"},
		{"refresh", `{"level":"error","cluster":"main","error":"refreshing token: oauth2: \"invalid_grant\"","message":"failed to refresh token"}`,
			"fail", "refresh", "failed to refresh token"},
	} {
		l := headlamplog.Summarize("h", headlamplog.Parse(tt.log), time.Time{})
		r := judgeLog(l, "main", proxyService(), nil)
		if string(r.Status) != tt.status || r.Cause != tt.cause || !strings.Contains(r.Message, tt.says) {
			t.Errorf("%s: %s %q cause %q, want %s %q saying %q", tt.name, r.Status, r.Message, r.Cause, tt.status, tt.cause, tt.says)
		}
	}
}

// TestHeadlampLogFailuresTheProbesGotPast: a failure logged before a fix counts no more once this run's
// live probe of the same hop got through; a failure of another hop still fails.
func TestHeadlampLogFailuresTheProbesGotPast(t *testing.T) {
	proxyErr := "2026/12/06 10:05:00 http: proxy error: dial tcp: connect: connection refused"
	refresh := `{"level":"error","cluster":"main","error":"refreshing token: oauth2: \"invalid_grant\"","message":"failed to refresh token"}`
	apiFine := map[headlamplog.Kind]bool{headlamplog.KindAPITrust: true, headlamplog.KindAPIUnreachable: true}
	l := headlamplog.Summarize("h", headlamplog.Parse(setupLine+"\n"+proxyErr), time.Time{})
	if r := judgeLog(l, "main", proxyService(), apiFine); r.Status != engine.StatusPass || !strings.Contains(r.Message, "1 earlier one(s) that this run's live probes got past") {
		t.Errorf("a proxy error before the probe got through: %s %q, want a pass naming it", r.Status, r.Message)
	}
	if r := judgeLog(l, "main", proxyService(), nil); r.Status != engine.StatusFail || r.Cause != causeProxyReach {
		t.Errorf("a proxy error with no probe through: %s %q cause %q, want a fail", r.Status, r.Message, r.Cause)
	}
	l = headlamplog.Summarize("h", headlamplog.Parse(setupLine+"\n"+proxyErr+"\n"+refresh), time.Time{})
	if r := judgeLog(l, "main", proxyService(), apiFine); r.Status != engine.StatusFail || r.Cause != "refresh" {
		t.Errorf("a refresh failure beside a proxy error the probe got past: %s %q cause %q, want the refresh failure", r.Status, r.Message, r.Cause)
	}
}

// TestHeadlampLogWithoutPermission: a log doctor may not read is unknown, naming the permission.
func TestHeadlampLogWithoutPermission(t *testing.T) {
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "pods/log"}, "h", nil)
	err := area.WrapAccess(area.Access{Verb: "get", Resource: "pods", Subresource: "log", Namespace: "capsule-system", Name: "h"}, forbidden)
	f := engine.NewFacts(time.Now(), map[engine.FactName]any{
		idHeadlampConn.Name(): &HeadlampConn{Pod: "h", Cluster: "main", ProxyService: proxyService()}},
		map[engine.FactName]error{idHeadlampLog.Name(): err})
	r := checkHeadlampLog(context.Background(), f)
	if r.Status != engine.StatusUnknown || !strings.Contains(r.Message, "get pods/log h -n capsule-system") {
		t.Errorf("= %s %q, want unknown naming get pods/log", r.Status, r.Message)
	}
}
