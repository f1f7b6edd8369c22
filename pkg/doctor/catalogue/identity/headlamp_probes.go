package identity

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp/headlamplog"
)

// The requests doctor makes to a running Headlamp pod, and its log read after them: facts, so that each
// is made once per run and the log holds the lines the requests made Headlamp write.
const (
	idOIDCProbe   engine.Key[probeAnswer]     = "identity-headlamp-oidc-probe"
	idAPIProbe    engine.Key[apiProbe]        = "identity-headlamp-api-probe"
	idHeadlampLog engine.Key[headlamplog.Log] = "identity-headlamp-log"
)

// probeAnswer is one answer of Headlamp.
type probeAnswer struct {
	Status int
	Header http.Header
	Body   string
}

// apiProbe is the answers to the user's requests through Headlamp, up to the first that was not the
// one expected (Failed, with its answer in Last).
type apiProbe struct {
	Bodies []string
	Failed *apiStep
	Last   probeAnswer
}

func headlampProbeFacts(e area.Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(idOIDCProbe, names(idHeadlampConn), func(ctx context.Context, in engine.Facts) (probeAnswer, error) {
			c, err := idHeadlampConn.Get(in)
			if err != nil {
				return probeAnswer{}, err
			}
			return c.do(ctx, http.MethodGet, "/oidc?cluster="+url.QueryEscape(c.Cluster), "", nil)
		}),
		engine.Define(idAPIProbe, names(idHeadlampConn, idToken), func(ctx context.Context, in engine.Facts) (apiProbe, error) {
			c, err := idHeadlampConn.Get(in)
			if err != nil {
				return apiProbe{}, err
			}
			t, err := idToken.Get(in)
			if err != nil {
				return apiProbe{}, err
			}
			return probeAPI(ctx, c, t.Token.Reveal())
		}),
		headlampLogFact(e),
	}
}

// probeAPI sends the steps of HEADLAMP-API-LIVE through Headlamp with the user's token.
func probeAPI(ctx context.Context, c *HeadlampConn, bearer string) (apiProbe, error) {
	var p apiProbe
	for _, s := range apiSteps(c.Cluster) {
		var body io.Reader
		if s.body != "" {
			body = strings.NewReader(s.body)
		}
		a, err := c.do(ctx, s.method, s.path, bearer, body)
		if err != nil {
			return p, err
		}
		if a.Status != s.want {
			p.Failed, p.Last = &s, a
			return p, nil
		}
		p.Bodies = append(p.Bodies, a.Body)
	}
	return p, nil
}

// headlampLogFact reads the probed pod's log once, after the probes: its "Proxy setup" line and the
// known failures of the last hour. Doctor may lack get pods/log: then the fact says which access.
func headlampLogFact(e area.Env) engine.Fact {
	needs := names(idHeadlampConn, idOIDCProbe, idAPIProbe) // the probes' errors do not matter: only that they ran
	return engine.Define(idHeadlampLog, needs, func(ctx context.Context, in engine.Facts) (headlamplog.Log, error) {
		c, err := idHeadlampConn.Get(in)
		if err != nil {
			return headlamplog.Log{}, err
		}
		text, err := headlamplog.Read(ctx, e.Kube, c.Namespace, c.Pod, c.Container)
		if err != nil {
			return headlamplog.Log{}, area.WrapAccess(area.Access{Verb: "get", Resource: "pods", Subresource: "log",
				Namespace: c.Namespace, Name: c.Pod}, err)
		}
		return headlamplog.Summarize(c.Pod, headlamplog.Parse(text), in.Now().Add(-headlamplog.Recent)), nil
	})
}
