package identity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp/headlamplog"
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

func checkHeadlampAPILive(_ context.Context, f engine.Facts) engine.Result {
	c, err := idHeadlampConn.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	if _, err := idToken.Get(f); err != nil {
		return unknownFrom(err)
	}
	p, err := idAPIProbe.Get(f)
	if err != nil {
		return liveUnknown(err)
	}
	if p.Failed != nil {
		log, logErr := idHeadlampLog.Get(f)
		return apiFailure(*p.Failed, p.Last, log, logErr).With("pod", c.Pod).WithVar("pod", c.Pod)
	}
	return apiPass(c, p.Bodies)
}

// apiFailure judges a request through Headlamp that did not get the expected answer; Headlamp's log
// (or why doctor could not read it) explains a 502.
func apiFailure(s apiStep, a probeAnswer, log headlamplog.Log, logErr error) engine.Result {
	switch a.Status {
	case http.StatusBadGateway:
		return badGateway(s, log, logErr)
	case http.StatusUnauthorized, http.StatusForbidden:
		return engine.Problem("%s through Headlamp: %d %s", s.what, a.Status, statusMessage(a.Body)).Because(causeIdentity)
	}
	return engine.Problem("%s through Headlamp: %d %s", s.what, a.Status, firstLine(a.Body))
}

// badGateway reads why Headlamp answered 502 from the pod's log: its reverse proxy logs
// `http: proxy error: <error>` and sends an empty body.
func badGateway(s apiStep, log headlamplog.Log, logErr error) engine.Result {
	r := engine.Problem("%s through Headlamp: 502, Headlamp could not get an answer from capsule-proxy", s.what)
	if logErr != nil {
		return r.With("pod log", area.CouldNotLook(logErr).Message)
	}
	last, ok := log.Last(headlamplog.KindAPITrust, headlamplog.KindAPIUnreachable)
	if !ok {
		return r.With("pod log", "no `http: proxy error` line in the last lines")
	}
	line := last.Entry.Quote()
	r = engine.Problem("%s through Headlamp: 502; Headlamp's log: %s", s.what, line).With("pod log", line)
	if last.Kind == headlamplog.KindAPITrust {
		return r.Because(causeProxyTrust)
	}
	return r.Because(causeProxyReach)
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
