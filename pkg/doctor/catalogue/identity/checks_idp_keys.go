package identity

import (
	"context"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// IDIdPKeysAPIServer is the check that the API server holds the key set the IdP serves now.
const IDIdPKeysAPIServer engine.ID = "IDP-KEYS-APISERVER"

func idpKeysChecks() []engine.Check {
	return []engine.Check{{
		ID: IDIdPKeysAPIServer, Title: "The API server holds the signing keys the IdP serves now", Category: CategoryIDP,
		Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDIdPKeys, authn.IDJWKSFetch},
		Needs: []engine.FactName{idExpect.Name(), idKeySet.Name(), authn.FactMetrics.Name()},
		Hint: "<apiserver> keeps the keys it fetched at <fetched> until its copy expires (the IdP's Cache-Control max-age); until " +
			"then a token signed with a new key gets 401 (its log: `failed to verify id token signature`) and keys the IdP " +
			"dropped still verify. Restart <apiserver> to make it fetch the keys now; at the IdP, publish a new key before " +
			"signing with it",
		Explain: "The hash label of apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info is sha256 of the " +
			"JWKS body the API server fetched last; doctor fetches the IdP's jwks_uri with the IdP client of IDP-JWKS and " +
			"compares sha256 of the body. A difference means the IdP changed its keys (a rotation) after the API server " +
			"fetched them. The API server fetches again only for a token signed with a key it lacks, and only once its " +
			"copy expired. Read through the kubeconfig's server: judges the API server that answers there " +
			"(AUTHN-JWKS-FETCH says which, and which it did not reach).",
		Run: checkAPIServerKeys,
	}}
}

func checkAPIServerKeys(_ context.Context, f engine.Facts) engine.Result {
	m, err := authn.FactMetrics.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	exp, err := idExpect.Get(f)
	if err != nil {
		return idpProblem(err)
	}
	live, err := idKeySet.Get(f)
	if err != nil {
		return idpProblem(err)
	}
	var same []string
	for _, s := range m.APIServers {
		st, ok := s.Issuers[authn.HashOf(exp.Issuer)]
		if !ok || st.KeySetHash == "" {
			continue
		}
		name := m.NameOf(s.IDHash)
		if st.KeySetHash != live.Hash {
			return engine.Problem("%s holds another key set of %s (%s, fetched %s) than the IdP serves now (%s): the IdP changed its keys since",
				name, exp.Issuer, st.KeySetHash, at(st), live.Hash).
				With("apiserver", name).With("held", st.KeySetHash).With("fetched", at(st)).With("live", live.Hash).
				With("liveKeys", keyIDs(live)).With("apiservers", m.Coverage())
		}
		same = append(same, name)
	}
	if len(same) == 0 {
		return engine.NotApplicable("no API server reached holds keys of %s yet: it fetches them for the first token it verifies", exp.Issuer)
	}
	verb := "holds"
	if len(same) > 1 {
		verb = "hold"
	}
	return engine.Pass("%s %s the key set %s serves now (%s)", strings.Join(same, ", "), verb, live.URL, live.Hash).
		With("apiservers", m.Coverage())
}

func at(st authn.IssuerState) string { return st.LastSuccess.UTC().Format("2006-01-02T15:04:05Z") }
