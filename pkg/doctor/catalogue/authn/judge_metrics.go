package authn

import (
	"context"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// metricsAndIssuer are /metrics and Headlamp's issuer with its hash label.
func metricsAndIssuer(f engine.Facts) (Metrics, string, error) {
	m, err := FactMetrics.Get(f)
	if err != nil {
		return Metrics{}, "", err
	}
	h, err := headlampview.Get(f, headlampview.IssuerSettings...)
	if err != nil {
		return Metrics{}, "", err
	}
	return m, h.Issuer(), nil
}

func checkAuthnMetrics(_ context.Context, f engine.Facts) engine.Result {
	m, issuer, err := metricsAndIssuer(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(m.APIServers) == 0 {
		return engine.NotApplicable("/metrics has no JWT authenticator or configuration series")
	}
	ac, _ := authconfig.Fact.Get(f)
	hash := HashOf(issuer)
	fetched, running := true, true
	for _, s := range m.APIServers {
		_, ok := s.Issuers[hash]
		fetched = fetched && ok
		running = running && ac != nil && s.Config.Hash == ac.Hash
	}
	switch {
	case fetched:
		return engine.Pass("issuer %s configured", issuer).With("issuerHash", hash).With("apiservers", m.Coverage())
	case running:
		return engine.Pass("the API server runs %s (same sha256), which AUTHN-ISSUER read", ac.Path).With("issuerHash", hash).
			With("apiservers", m.Coverage())
	}
	// The JWT series of an issuer appear with the first token verified since the API server started.
	if ac != nil {
		return engine.Unknown("no JWT series for %s in /metrics, and the API server runs another configuration than %s "+
			"(AUTHN-CONFIG-LOADED): whether it has the issuer shows with the first token it verifies", issuer, ac.Path).With("issuerHash", hash)
	}
	return engine.Unknown("no JWT series for %s in /metrics: it is not configured, or no token was verified since the API server started; "+
		"pass --authentication-config to compare the running configuration", issuer).With("issuerHash", hash)
}

func checkConfigLoaded(_ context.Context, f engine.Facts) engine.Result {
	m, err := FactMetrics.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	ac, err := authconfig.Fact.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	var runs []string
	for _, s := range m.APIServers {
		if s.Config.Hash == "" {
			continue
		}
		name, c := m.NameOf(s.IDHash), s.Config
		if r, bad := judgeConfig(name, c, ac); bad {
			return r.With("apiserver", name).With("running", c.Hash).With("lastReloadFailed", at(c.LastReloadFailed)).
				With("lastReloadOK", at(c.LastReloadOK)).With("apiservers", m.Coverage())
		}
		runs = append(runs, name+" runs "+c.Hash+reloadNote(c))
	}
	if len(runs) == 0 {
		return engine.NotApplicable("/metrics shows no authentication configuration: the API server runs without --authentication-config")
	}
	r := engine.Pass("%s", strings.Join(runs, ", "))
	if ac != nil {
		r = engine.Pass("%s: the sha256 of %s", strings.Join(runs, ", "), ac.Path)
	}
	return r.With("apiservers", m.Coverage())
}

// judgeConfig judges one API server's configuration against the file given, if any. A failed reload
// counts only when the file differs: after a transient read error the API server records a failure
// and then skips the unchanged file without recording a success.
func judgeConfig(name string, c ConfigState, ac *authconfig.Config) (engine.Result, bool) {
	switch {
	case ac != nil && c.Hash == ac.Hash:
		return engine.Result{}, false
	case ac != nil && c.ReloadRejected():
		return engine.Problem("%s refused %s at its last reload (%s) and still runs the configuration it loaded before (%s, not %s)",
			name, ac.Path, at(c.LastReloadFailed), c.Hash, ac.Hash).With("file", ac.Hash), true
	case ac != nil:
		return engine.Problem("%s runs another configuration (%s) than %s (%s): it has not reloaded the file yet, or reads another one",
			name, c.Hash, ac.Path, ac.Hash).With("file", ac.Hash), true
	}
	return engine.Result{}, false
}

// reloadNote is what a pass without the file says of a failed last reload: alone it proves nothing
// (a file put back as it was, or a transient read error, leaves the failure with no success after it).
func reloadNote(c ConfigState) string {
	if !c.ReloadRejected() {
		return ""
	}
	return fmt.Sprintf(" (its last reload failed at %s: give --authentication-config to compare what it runs with the file)", at(c.LastReloadFailed))
}

func checkJWKSFetch(_ context.Context, f engine.Facts) engine.Result {
	m, issuer, err := metricsAndIssuer(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	hash := HashOf(issuer)
	var fetched []string
	for _, s := range m.APIServers {
		st, ok := s.Issuers[hash]
		if !ok {
			continue
		}
		name := m.NameOf(s.IDHash)
		if st.LastFetchFailed() {
			return engine.Problem("%s failed to fetch the keys of %s at %s (last success: %s)", name, issuer, at(st.LastFailure), at(st.LastSuccess)).
				With("apiserver", name).With("issuer", issuer).With("lastFailure", at(st.LastFailure)).
				With("lastSuccess", at(st.LastSuccess)).With("apiservers", m.Coverage())
		}
		fetched = append(fetched, name+" fetched them at "+at(st.LastSuccess))
	}
	if others := otherIssuers(m, hash); len(fetched) == 0 && others > 0 {
		return engine.NotApplicable("the API server fetched the keys of %d other issuer(s), none of %s: it has no authenticator for "+
			"this exact string, or verified no token of it since it started (AUTHN-ISSUER compares the issuers)", others, issuer).
			With("issuerHash", hash)
	}
	if len(fetched) == 0 {
		return engine.NotApplicable("no JWKS fetch for %s since the API server started: it fetches the keys for the first token of the issuer it verifies", issuer).
			With("issuerHash", hash)
	}
	return engine.Pass("keys of %s: %s", issuer, strings.Join(fetched, ", ")).With("issuerHash", hash).With("apiservers", m.Coverage())
}

// otherIssuers counts the issuers other than hash whose keys an API server reached fetched.
func otherIssuers(m Metrics, hash string) int {
	n := 0
	for _, s := range m.APIServers {
		for h := range s.Issuers {
			if h != hash {
				n++
			}
		}
	}
	return n
}
