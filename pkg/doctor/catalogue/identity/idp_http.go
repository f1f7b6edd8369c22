package identity

import (
	"context"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// idpAnswerTime is how long (at most half the time left) the IdP may take to answer one request before
// doctor calls it hung: so that the check says so itself, within its own timeout.
const idpAnswerTime = 5 * time.Second

func answerWithin(ctx context.Context) (context.Context, context.CancelFunc) {
	wait := idpAnswerTime
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(dl)/2)
	}
	return context.WithTimeout(ctx, wait)
}

// pluginTrust is the plugin's own trust plus the CAs Headlamp and the API server are configured with
// (those that parse): the plugin should see the IdP whenever one of them can, and the checks judge each
// party's trust on its own.
func pluginTrust(t oidc.Trust, exp Expectation) oidc.Trust {
	extra := [][]byte{exp.HeadlampTrust.PEM}
	if exp.APIServer != nil {
		extra = append(extra, exp.APIServer.CAPEM)
	}
	pem := append([]byte(nil), t.PEM...)
	for _, e := range extra {
		if _, err := trust.ParseBundle(e); err == nil {
			pem = append(append(pem, '\n'), e...)
		}
	}
	t.PEM = pem
	return t
}
