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
	return s.SetProxyFlag(ctx, "oidc-username-claim", claim)
}

// SetProxyFlag rolls capsule-proxy's Deployment out with --name=value in place of any --name it had
// ("" drops the flag) and restarts the stand-in, which reads its flags at start like the real process
// (it honours --oidc-username-claim and --capsule-configuration-name). Restore puts the args back.
func (s *Stack) SetProxyFlag(ctx context.Context, name, value string) (Restore, error) {
	before, err := s.proxyContainerArgs(ctx)
	if err != nil {
		return func(context.Context) error { return nil }, err
	}
	var args []string
	for _, a := range before {
		if flag, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); flag != name {
			args = append(args, a)
		}
	}
	if value != "" {
		args = append(args, "--"+name+"="+value)
	}
	restore := func(ctx context.Context) error { return s.setProxyArgs(ctx, before) }
	return restore, s.setProxyArgs(ctx, args)
}

func (s *Stack) proxyContainerArgs(ctx context.Context) ([]string, error) {
	d, err := s.kube.AppsV1().Deployments(CapsuleNamespace).Get(ctx, ProxyServiceName, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("read the capsule-proxy Deployment: %w", err)
	}
	if len(d.Spec.Template.Spec.Containers) == 0 {
		return nil, fmt.Errorf("the capsule-proxy Deployment has no container")
	}
	return d.Spec.Template.Spec.Containers[0].Args, nil
}

func (s *Stack) setProxyArgs(ctx context.Context, args []string) error {
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
		"containers": []any{map[string]any{"name": ProxyServiceName, "args": args}}}}}})
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
