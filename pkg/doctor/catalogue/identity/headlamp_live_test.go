package identity

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp/headlamplog"
)

// TestBadGatewayReadsHeadlampsLog: Headlamp's 502 has an empty body; its log's last `http: proxy
// error` names the side that is wrong, and a log doctor may not read leaves the cause open.
func TestBadGatewayReadsHeadlampsLog(t *testing.T) {
	const tlsLine = `http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority`
	for _, tt := range []struct {
		name, log string
		err       error
		cause     string
		says      string
	}{
		{"untrusted proxy", "2026/12/06 Proxy setup\n2026/12/06 10:00:00 " + tlsLine + "\n", nil, causeProxyTrust, "x509: certificate signed by unknown authority"},
		{"unreachable proxy", "2026/12/06 10:00:00 http: proxy error: dial tcp: lookup capsule-proxy: no such host\n", nil, causeProxyReach, "no such host"},
		{"log not readable", "", errors.New("pods \"h\" is forbidden"), "", "could not"},
	} {
		log := headlamplog.Summarize("h", headlamplog.Parse(tt.log), time.Time{})
		r := apiFailure(apiSteps("main")[0], probeAnswer{Status: http.StatusBadGateway}, log, tt.err)
		if r.Status != engine.StatusFail || r.Cause != tt.cause || !strings.Contains(r.Message+" "+fmt.Sprint(r.Evidence.Get("pod log")), tt.says) {
			t.Errorf("%s: %s %q cause %q evidence %v, want cause %q saying %q", tt.name, r.Status, r.Message, r.Cause, r.Evidence, tt.cause, tt.says)
		}
	}
}

// TestRejectedTokenThroughHeadlamp: a 403 with capsule-proxy's two Status objects is an identity
// failure that quotes the first one (the API server's reason).
func TestRejectedTokenThroughHeadlamp(t *testing.T) {
	body := `{"kind":"Status","code":403,"message":"cannot authenticate the token due to error: oidc: expected audience \"kubernetes\" got [\"headlamp\"]"}` +
		`{"kind":"Status","code":401,"message":"Unauthorized"}`
	r := apiFailure(apiSteps("main")[1], probeAnswer{Status: http.StatusForbidden, Body: body}, headlamplog.Log{}, nil)
	if r.Cause != causeIdentity || !strings.Contains(r.Message, `expected audience "kubernetes"`) {
		t.Errorf("= %s %q cause %q", r.Status, r.Message, r.Cause)
	}
}

// TestAPILiveAsksForAFirstPage: the namespace list through Headlamp asks for a first page only, and
// the result says when the list goes on.
func TestAPILiveAsksForAFirstPage(t *testing.T) {
	if p := apiSteps("main")[2].path; !strings.HasSuffix(p, "/api/v1/namespaces?limit=10") {
		t.Errorf("namespace step asks for %s, want a first page of 10", p)
	}
	version := `{"gitVersion":"v1.37.2"}`
	review := `{"status":{"userInfo":{"username":"alice@example.com","groups":["tenant-a-owners"]}}}`
	for _, tt := range []struct {
		name, list, says string
		more             bool
	}{
		{"the whole list", `{"metadata":{},"items":[{"metadata":{"name":"tenant-a-dev"}},{"metadata":{"name":"tenant-a-prod"}}]}`,
			"2 namespace(s): tenant-a-dev, tenant-a-prod", false},
		{"a first page", `{"metadata":{"continue":"abc"},"items":[{"metadata":{"name":"bench-000-0"}}]}`,
			"namespaces bench-000-0 and more (the first 1 asked for)", true},
		{"none", `{"metadata":{},"items":[]}`, "no namespace", false},
	} {
		r := apiPass(&HeadlampConn{Pod: "h"}, []string{version, review, tt.list})
		more, _ := r.Evidence.Get("moreNamespaces").(bool)
		if r.Status != engine.StatusPass || !strings.Contains(r.Message, tt.says) || more != tt.more {
			t.Errorf("%s: %s %q more=%v, want it to say %q, more=%v", tt.name, r.Status, r.Message, more, tt.says, tt.more)
		}
	}
}
