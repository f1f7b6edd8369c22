package e2e

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestDoctorOnAProductionInstall: Headlamp installed with its NetworkPolicy and behind an HTTPRoute.
// doctor raises nothing on it, judges the policy to let Headlamp reach capsule-proxy, the IdP and
// DNS, and expects the redirect URI login derives from the HTTPRoute. Then one thing at a time
// breaks: the policy loses its rule to capsule-proxy (only NETPOL-PROXY fails, naming the policy
// and the hop), and the pod gets a token for the API server's own audience (only
// HEADLAMP-POD-TOKEN warns).
func TestDoctorOnAProductionInstall(t *testing.T) {
	ns := "e2e-doctor-production"
	newTestNamespace(t, ns, restricted)
	newTestNamespace(t, "e2e-gateways", nil)
	installGatewayAPI(t)
	if _, err := sb.Apply(t.Context(), mustJSON(t, gatewayObject(t, "e2e-gateways", "public"))); err != nil {
		t.Fatal(err)
	}
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns, append([]string{"--network-policy"}, gatewayArgs...)...)...))
	waitRolledOut(t, t.Context(), ns, "headlamp")
	args := []string{"-n", ns, "--authentication-config", authConfigFile()}

	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), args...)
		expectExit(t, run, 0)
		expectHealthy(t, rep, tokenSkip)
		got := rep.byID()
		for _, id := range []string{"NETPOL-PROXY", "NETPOL-IDP", "NETPOL-DNS"} {
			if o := got[id]; o.Status != "pass" || !strings.HasPrefix(o.Message, "allowed by NetworkPolicy "+ns+"/headlamp") {
				t.Errorf("%s = %s %q, want allowed by install's policy", id, o.Status, o.Message)
			}
		}
		client := got["IDP-CLIENT"].text()
		mustContain(t, "IDP-CLIENT", client, `"redirectURI":"http://headlamp.e2e.example/oidc-callback"`, `"redirectURIFrom":"HTTPRoute headlamp"`)
	})

	t.Run("the policy drops capsule-proxy", func(t *testing.T) {
		nps := sb.Kube().NetworkingV1().NetworkPolicies(ns)
		np, err := nps.Get(t.Context(), "headlamp", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		before := np.DeepCopy()
		np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{np.Spec.Egress[0], np.Spec.Egress[2]} // DNS and the IdP
		if _, err := nps.Update(t.Context(), np, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := cleanupCtx()
			defer cancel()
			np, err := nps.Get(ctx, "headlamp", metav1.GetOptions{})
			if err == nil {
				np.Spec = before.Spec
				_, err = nps.Update(ctx, np, metav1.UpdateOptions{})
			}
			if err != nil {
				t.Errorf("restore the policy: %v", err)
			}
		})
		rep, run := doctorRun(t, nil, adminEnv(), args...)
		expectExit(t, run, 1)
		expectOnly(t, rep, "NETPOL-PROXY", "fail", nil, "Headlamp → capsule-proxy: NetworkPolicy "+ns+"/headlamp isolates Headlamp's pods "+
			"for egress and no rule lets them reach capsule-proxy's pod", "on TCP 9001", `"blockedBy":["`+ns+`/headlamp"]`)
	})

	t.Run("the pod holds the API server's token", func(t *testing.T) {
		changeDeployment(t, ns, "headlamp", func(d *appsv1.Deployment) {
			for _, v := range d.Spec.Template.Spec.Volumes {
				if v.Projected == nil {
					continue
				}
				for _, src := range v.Projected.Sources {
					if src.ServiceAccountToken != nil {
						src.ServiceAccountToken.Audience = "" // the API server's own
					}
				}
			}
		})
		rep, run := doctorRun(t, nil, adminEnv(), args...)
		expectExit(t, run, 0)
		expectOnly(t, rep, "HEADLAMP-POD-TOKEN", "warn", nil, "holds a ServiceAccount token the API server accepts",
			"projects a token for the API server's own audience")
	})
}
