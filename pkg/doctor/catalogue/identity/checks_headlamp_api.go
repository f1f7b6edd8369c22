package identity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// apiStep is one request of HEADLAMP-API-LIVE through Headlamp.
type apiStep struct {
	what, method, path, body string
	want                     int
}

// namespaceSample is how many namespaces HEADLAMP-API-LIVE asks Headlamp for. The probe judges the
// path through Headlamp, for which a first page is proof enough; TENANT-NAMESPACES lists them all.
// A whole list of thousands of namespaces would be most of the probe's time, and would not fit in
// what doctor reads of an answer.
const namespaceSample = 10

func apiSteps(cluster string) []apiStep {
	base := "/clusters/" + cluster
	return []apiStep{
		{"GET /version", http.MethodGet, base + "/version", "", http.StatusOK},
		{"a SelfSubjectReview", http.MethodPost, base + "/apis/authentication.k8s.io/v1/selfsubjectreviews",
			`{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}`, http.StatusCreated},
		{"the namespace list", http.MethodGet, base + "/api/v1/namespaces?limit=" + strconv.Itoa(namespaceSample), "", http.StatusOK},
	}
}

func checkHeadlampAPILive(ctx context.Context, f engine.Facts) engine.Result {
	c, err := idHeadlampConn.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	t, err := idToken.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	var bodies []string
	for _, s := range apiSteps(c.Cluster) {
		var body io.Reader
		if s.body != "" {
			body = strings.NewReader(s.body)
		}
		status, _, got, err := c.do(ctx, s.method, s.path, t.Token.Reveal(), body)
		if err != nil {
			return liveUnknown(err)
		}
		if status != s.want {
			return apiFailure(ctx, c, s, status, got).With("pod", c.Pod).WithVar("pod", c.Pod)
		}
		bodies = append(bodies, got)
	}
	return apiPass(c, bodies)
}

// apiFailure judges a request through Headlamp that did not get the expected answer.
func apiFailure(ctx context.Context, c *HeadlampConn, s apiStep, status int, body string) engine.Result {
	switch status {
	case http.StatusBadGateway:
		return badGateway(ctx, c, s)
	case http.StatusUnauthorized, http.StatusForbidden:
		return engine.Problem("%s through Headlamp: %d %s", s.what, status, statusMessage(body)).Because(causeIdentity)
	}
	return engine.Problem("%s through Headlamp: %d %s", s.what, status, firstLine(body))
}

// badGateway reads why Headlamp answered 502 from the pod's log: its reverse proxy logs
// `http: proxy error: <error>` and sends an empty body.
func badGateway(ctx context.Context, c *HeadlampConn, s apiStep) engine.Result {
	r := engine.Problem("%s through Headlamp: 502, Headlamp could not get an answer from capsule-proxy", s.what)
	log, err := c.Logs(ctx)
	if err != nil {
		return r.With("pod log", area.CouldNotLook(err).Message)
	}
	line := lastProxyError(log)
	switch {
	case line == "":
		return r.With("pod log", "no `http: proxy error` line in the last lines")
	case strings.Contains(line, "x509:"), strings.Contains(line, "tls:"):
		return engine.Problem("%s through Headlamp: 502; Headlamp's log: %s", s.what, line).With("pod log", line).Because(causeProxyTrust)
	}
	return engine.Problem("%s through Headlamp: 502; Headlamp's log: %s", s.what, line).With("pod log", line).Because(causeProxyReach)
}

// lastProxyError is the last `http: proxy error:` of a log, from that text on.
func lastProxyError(log string) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if _, after, ok := strings.Cut(lines[i], "http: proxy error: "); ok {
			return "http: proxy error: " + strings.TrimSpace(after)
		}
	}
	return ""
}

// statusMessage is the message of the first Status object of an API error body (capsule-proxy writes
// two back to back), else the body's first line.
func statusMessage(body string) string {
	var st struct {
		Message string `json:"message"`
	}
	if json.NewDecoder(bytes.NewReader([]byte(body))).Decode(&st) == nil && st.Message != "" {
		return st.Message
	}
	return firstLine(body)
}

// apiPass sums up the three answers: the server's version, who the cluster says the user is, the
// first namespaces the user sees (and whether there are more).
func apiPass(c *HeadlampConn, bodies []string) engine.Result {
	var version struct {
		GitVersion string `json:"gitVersion"`
	}
	var review struct {
		Status struct {
			UserInfo struct {
				Username string   `json:"username"`
				Groups   []string `json:"groups"`
			} `json:"userInfo"`
		} `json:"status"`
	}
	var list struct {
		Metadata struct {
			Continue string `json:"continue"`
		} `json:"metadata"`
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	_ = json.Unmarshal([]byte(bodies[0]), &version)
	_ = json.Unmarshal([]byte(bodies[1]), &review)
	_ = json.Unmarshal([]byte(bodies[2]), &list)
	var names []string
	for _, it := range list.Items {
		names = append(names, it.Metadata.Name)
	}
	u := review.Status.UserInfo
	more := list.Metadata.Continue != ""
	r := engine.Pass("through pod %s: version %s, user %q, %s", c.Pod, version.GitVersion, u.Username, namespacesSeen(names, more)).
		With("username", u.Username).With("groups", u.Groups).With("namespaces", names)
	if more {
		r = r.With("moreNamespaces", true)
	}
	return r
}

// namespacesSeen says which namespaces the first page showed, and that there are more when the list
// went on.
func namespacesSeen(names []string, more bool) string {
	switch {
	case len(names) == 0:
		return "no namespace"
	case more:
		return fmt.Sprintf("namespaces %s and more (the first %d asked for)", strings.Join(names, ", "), len(names))
	}
	return fmt.Sprintf("%d namespace(s): %s", len(names), engine.Summarize(names))
}
