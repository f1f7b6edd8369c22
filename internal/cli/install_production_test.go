package cli

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func TestInstallProductionFlagsToInput(t *testing.T) {
	o, err := parseInstall(t, "", "--oidc-issuer-url=https://dex.example.com",
		"--image=registry.example.com:5000/mirror/headlamp@sha256:"+strings.Repeat("a", 64),
		"--image-pull-secret=regcred", "--image-pull-secret", "mirror", "--requests", "cpu=250m", "--limits=memory=1Gi,cpu=2",
		"--network-policy", "--gateway=gateways/public", "--gateway-host=headlamp.example.com",
		"--tenant-access=tenant-a-owners", "--tenant-access=tenant-b-owners")
	if err != nil {
		t.Fatal(err)
	}
	s := o.input.Settings
	q := resource.MustParse
	want := headlamp.Resources{
		Requests: corev1.ResourceList{corev1.ResourceCPU: q("250m"), corev1.ResourceMemory: q("128Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: q("2"), corev1.ResourceMemory: q("1Gi")},
	}
	checks := map[string]bool{
		"pull secrets":   reflect.DeepEqual(s.ImagePullSecrets, []string{"regcred", "mirror"}),
		"resources":      s.Resources.Requests.Cpu().Cmp(*want.Requests.Cpu()) == 0 && s.Resources.Requests.Memory().Cmp(*want.Requests.Memory()) == 0 && s.Resources.Limits.Cpu().Cmp(*want.Limits.Cpu()) == 0 && s.Resources.Limits.Memory().Cmp(*want.Limits.Memory()) == 0,
		"resource flags": len(o.input.ResourceFlags.Requests) == 1 && len(o.input.ResourceFlags.Limits) == 2,
		"network policy": s.NetworkPolicy != nil,
		"gateway":        s.Gateway != nil && *s.Gateway == headlamp.Gateway{Namespace: "gateways", Name: "public", Host: "headlamp.example.com"},
		"tenants":        reflect.DeepEqual(s.TenantAccess, []string{"tenant-a-owners", "tenant-b-owners"}),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s not taken from argv: %+v", name, s)
		}
	}
}

func TestInstallRejectsBadProductionFlags(t *testing.T) {
	issuer := "--oidc-issuer-url=https://dex.example.com"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--image=UPPER CASE:tag"}, `--image "UPPER CASE:tag" is not an image reference`},
		{[]string{"--image="}, "--image must not be empty"},
		{[]string{"--image-pull-secret=Reg_Cred"}, "--image-pull-secret"},
		{[]string{"--requests=cpu"}, "--requests \"cpu\": give NAME=QUANTITY pairs"},
		{[]string{"--requests=cpu=lots"}, `--requests cpu="lots" is not a quantity`},
		{[]string{"--limits=gpu=1"}, `--limits "gpu": the resources are cpu, memory and ephemeral-storage`},
		{[]string{"--limits=memory=-1Gi"}, "--limits memory=-1Gi must be more than zero"},
		{[]string{"--gateway=gateways/public"}, "--gateway and --gateway-host go together"},
		{[]string{"--gateway=public", "--gateway-host=h.example.com"}, "give NAMESPACE/NAME"},
		{[]string{"--gateway=gw/public", "--gateway-host=h.example.com", "--ingress-host=h.example.com"}, "exclude each other"},
		{[]string{"--gateway=gw/public", "--gateway-host=*.example.com"}, "--gateway-host"},
		{[]string{"--tenant-access= tenant-a"}, "a group name has no surrounding spaces"},
	} {
		_, err := parseInstall(t, "", append([]string{issuer}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.args, err, tt.want)
		}
		if code := exitCode(t.Context(), err, true); err != nil && code != ExitUsage {
			t.Errorf("%q: exit code %d, want %d", tt.args, code, ExitUsage)
		}
	}
}
