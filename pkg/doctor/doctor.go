// Package doctor diagnoses a Headlamp + capsule-proxy + OIDC setup. Diagnose owns a whole run: it plans
// the catalogue's checks (pkg/doctor/catalogue) on the engine (pkg/doctor/engine), obtains the user's
// token first when the run needs one, and returns the report that pkg/doctor/render prints and
// pkg/doctor/bundle packs. It prints nothing itself; an Observer hears of each result as it comes.
package doctor

import (
	"context"
	"errors"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Config is what a run looks at and how: typed inputs, built once by the command.
type Config struct {
	// Kube and Dynamic read the cluster with the kubeconfig's credentials; Dialer port-forwards to a
	// pod (the live TLS checks); Server is the API server's URL, for messages.
	Kube    kubernetes.Interface
	Dynamic dynamic.Interface
	Dialer  area.PodDialer
	Server  string
	// Namespace is where Headlamp runs; Headlamp names its Deployment ("" finds it by label).
	Namespace string
	Headlamp  string
	// Proxy is where capsule-proxy runs.
	Proxy area.ProxyRef
	// AuthConfig is the API server's AuthenticationConfiguration file, as given; nil when not.
	AuthConfig *area.AuthConfigFile
	// Identity is how the identity checks get the user's token and trust the IdP.
	Identity identity.Env
	// Timeout bounds the whole run (zero: ctx alone), CheckTimeout a check (zero: the default).
	Timeout, CheckTimeout time.Duration
	// Only runs just these checks and their premises; Skip leaves these out, and what builds on them.
	Only, Skip []engine.ID
	// Observer, when set, hears of each result as soon as its check finishes.
	Observer engine.Observer
	// Wait judges the state that converges (Headlamp becoming ready) again until it holds or Timeout
	// ends: for a run right after an install.
	Wait bool
}

// ErrInterrupted is what a token source's error matches (errors.Is) when the user stopped the
// sign-in, say with Ctrl-C at a password prompt: Diagnose then stops with it, without a report.
var ErrInterrupted = errors.New("interrupted")

// Diagnose runs the checks c selects and returns their report, in catalogue order. When the run needs
// the user's token, it is obtained first, under ctx alone (a person typing a password is not held to
// the timeouts); a token that could not be obtained is TOKEN-OBTAINED's finding. The error is an
// *engine.UnknownCheckError for an ID the catalogue does not hold, or the end of ctx (or
// ErrInterrupted) while the token was obtained.
func Diagnose(ctx context.Context, c Config) (engine.Report, error) {
	e := c.env()
	plan, err := engine.NewPlan(catalogue.Checks(), catalogue.Facts(e, c.Identity), c.Only, c.Skip)
	if err != nil {
		return engine.Report{}, err
	}
	opts := c.runOptions(e)
	if plan.Runs(identity.IDTokenObtained) && c.Identity.TokenSource != nil {
		id, err := obtainToken(ctx, e, c.Identity, opts)
		if err != nil {
			return engine.Report{}, err
		}
		// The token source changed: plan again with the facts that use the token obtained.
		if plan, err = engine.NewPlan(catalogue.Checks(), catalogue.Facts(e, id), c.Only, c.Skip); err != nil {
			return engine.Report{}, err
		}
	}
	return engine.Run(ctx, plan, opts), nil
}

// CheckSelection tells whether the catalogue holds every ID of only and skip, as Diagnose would: an
// *engine.UnknownCheckError names those it does not. It reads nothing.
func CheckSelection(only, skip []engine.ID) error {
	_, err := engine.NewPlan(catalogue.Checks(), catalogue.Facts(area.Env{}, identity.Env{}), only, skip)
	return err
}

// Chain judges the sign-in chain of a report, hop by hop.
func Chain(r engine.Report) []chain.Hop { return catalogue.Chain(r) }

// env is what the fact producers look at the cluster with.
func (c Config) env() area.Env {
	return area.Env{Kube: c.Kube, Dynamic: c.Dynamic, Dialer: c.Dialer, Server: c.Server, Namespace: c.Namespace,
		HeadlampName: c.Headlamp, Proxy: c.Proxy, AuthConfig: c.AuthConfig}
}

func (c Config) runOptions(e area.Env) engine.RunOptions {
	return engine.RunOptions{Timeout: c.Timeout, CheckTimeout: c.CheckTimeout, Vars: e.HintVars(), Observer: c.Observer, Retry: c.Wait}
}
