package authn

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
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
