package authn

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

func clusterChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDAPIServerFlags, Title: "kube-apiserver uses structured authentication", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{factAPIServerPods.Name()},
			Hint: "Replace the --oidc-* flags with --authentication-config=FILE listing both audiences with audienceMatchPolicy: MatchAny " +
				"(kubeadm: apiServer.extraArgs in ConfigMap kube-system/kubeadm-config, and mount the file)",
			Explain: "Read from the kube-apiserver mirror pods in kube-system (kubeadm-style clusters). Legacy " +
				"--oidc-client-id accepts one audience: a token for Headlamp's confidential client and one for a " +
				"public CLI client cannot both pass. Skipped where the control plane runs no such pods (managed clusters).",
			Run: checkAPIServerFlags,
		},
		{
			ID: IDMetrics, Title: "The running API server has Headlamp's issuer configured", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI, hlcheck.IDOIDC},
			Needs: []engine.FactName{factMetrics.Name(), headlampview.FactView.Name(), authconfig.Fact.Name()},
			Hint: "The API server has not loaded the configuration you expect: check the file it reads (--authentication-config), " +
				"its logs for `jwt` errors, and that it reaches the issuer's discovery and JWKS with the configured certificateAuthority",
			Explain: "From /metrics (needs get on /metrics): a JWT series labelled with sha256 of Headlamp's issuer " +
				"shows the issuer is configured and whether its keys were fetched; the config hash is compared " +
				"with the file given with --authentication-config.",
			Run: checkAuthnMetrics,
		},
	}
}

func checkAPIServerFlags(_ context.Context, f engine.Facts) engine.Result {
	pods, err := factAPIServerPods.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(pods) == 0 {
		return engine.NotApplicable("no kube-apiserver pod in kube-system (a managed or process-run control plane): flags not visible")
	}
	for _, p := range pods {
		if p.AuthConfig == "" && p.LegacyOIDCUsed {
			return engine.Problem("%s uses legacy --oidc-client-id=%s: one audience only, so tokens for another client are rejected", p.Pod, p.OIDCClientID).
				With("pod", p.Pod).With("oidcClientID", p.OIDCClientID)
		}
		if p.AuthConfig == "" {
			return engine.Problem("%s has neither --authentication-config nor --oidc-* flags: no OIDC tokens are accepted", p.Pod).With("pod", p.Pod)
		}
	}
	return engine.Pass("--authentication-config=%s", pods[0].AuthConfig)
}

func checkAuthnMetrics(_ context.Context, f engine.Facts) engine.Result {
	m, err := factMetrics.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	h, err := headlampview.Get(f, headlampview.IssuerSettings...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(m.IssuerResults) == 0 && len(m.ConfigHashes) == 0 {
		return engine.NotApplicable("/metrics has no JWT authenticator or configuration series")
	}
	ac, _ := authconfig.Fact.Get(f)
	running := ac != nil && slices.Contains(m.ConfigHashes, ac.Hash)
	if ac != nil && len(m.ConfigHashes) > 0 && !running {
		return engine.Problem("the API server runs another configuration than %s", ac.Path).
			With("running", m.ConfigHashes).With("file", ac.Hash)
	}
	issuer := h.Issuer()
	hash := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(issuer)))
	results, ok := m.IssuerResults[hash]
	switch {
	case ok && len(results) > 0 && !slices.Contains(results, "success"):
		return engine.Problem("the API server cannot fetch the signing keys of %s (JWKS fetches: %s)", issuer, strings.Join(results, ", "))
	case ok:
		return engine.Pass("issuer %s configured", issuer).With("issuerHash", hash)
	case running:
		return engine.Pass("the API server runs %s (same sha256), which AUTHN-ISSUER read", ac.Path).With("issuerHash", hash)
	}
	// The JWT series of an issuer appear with the first token verified or keys fetched since start.
	return engine.Unknown("no JWT series for %s in /metrics: it is not configured, or no token was verified since the API server started; "+
		"pass --authentication-config to compare the running configuration", issuer).With("issuerHash", hash)
}
