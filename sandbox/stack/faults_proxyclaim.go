package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// SetProxyUsernameClaim rolls capsule-proxy's Deployment out with --oidc-username-claim=claim (""
// drops the flag, leaving capsule-proxy's default, preferred_username) and restarts the stand-in,
// which reads its flags at start like the real process. With a claim other than the one the API
// server maps to the username, capsule-proxy acts for another user name than the API server sees;
// with a claim the token lacks, it cannot identify the user. Restore goes back to ProxyUsernameClaim.
func (s *Stack) SetProxyUsernameClaim(ctx context.Context, claim string) (Restore, error) {
	restore := func(ctx context.Context) error { return s.setProxyUsernameClaim(ctx, ProxyUsernameClaim) }
	return restore, s.setProxyUsernameClaim(ctx, claim)
}

func (s *Stack) setProxyUsernameClaim(ctx context.Context, claim string) error {
	d, err := s.kube.AppsV1().Deployments(CapsuleNamespace).Get(ctx, ProxyServiceName, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("read the capsule-proxy Deployment: %w", err)
	}
	containers := d.Spec.Template.Spec.Containers
	if len(containers) == 0 {
		return fmt.Errorf("the capsule-proxy Deployment has no container")
	}
	var args []string
	for _, a := range containers[0].Args {
		if !strings.HasPrefix(strings.TrimLeft(a, "-"), "oidc-username-claim") {
			args = append(args, a)
		}
	}
	if claim != "" {
		args = append(args, "--oidc-username-claim="+claim)
	}
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
		"containers": []any{map[string]any{"name": containers[0].Name, "args": args}}}}}})
	if err != nil {
		return err
	}
	if _, err := s.kube.AppsV1().Deployments(CapsuleNamespace).Patch(ctx, ProxyServiceName, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
		return fmt.Errorf("patch the capsule-proxy Deployment: %w", err)
	}
	if err := s.waitFor(ctx, "capsule-proxy rolled out", func(ctx context.Context) error {
		return s.RolledOut(ctx, CapsuleNamespace, ProxyServiceName)
	}); err != nil {
		return err
	}
	s.stopProxy()
	return s.startProxy(ctx)
}
