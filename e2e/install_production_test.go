package e2e

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// restricted labels a namespace that enforces the restricted Pod Security Standard.
var restricted = map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}

// gatewayArgs attach Headlamp to the test Gateway.
var gatewayArgs = []string{"--gateway", "e2e-gateways/public", "--gateway-host", "headlamp.e2e.example"}

// TestInstallRefusesMissingDependencies: over an installed Headlamp, an install whose pull Secret,
// Gateway API, Gateway, quota or limit range is missing or too small is refused before anything is
// written: every object keeps its resourceVersion.
func TestInstallRefusesMissingDependencies(t *testing.T) {
	ns := "e2e-install-refusals"
	newTestNamespace(t, ns, restricted)
	enforcedQuota(t, ns)
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	waitAvailable(t, ns, "headlamp")
	before := oursIn(t, ns)

	refuses(t, ns, before, installArgs(ns, "--image-pull-secret", "regcred"),
		"image pull secret "+ns+"/regcred does not exist", "create secret docker-registry regcred")
	refuses(t, ns, before, installArgs(ns, gatewayArgs...), "the cluster does not serve HTTPRoutes", "--ingress-host")
	refuses(t, ns, before, installArgs(ns, "--limits", "memory=16Gi"),
		"ResourceQuota compute would be exceeded: limits.memory would reach 16Gi of 8Gi")
	lr := &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Name: "small", Namespace: ns}, Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
		Type: corev1.LimitTypeContainer, Max: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")}}}}}
	if _, err := sb.Kube().CoreV1().LimitRanges(ns).Create(t.Context(), lr, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	refuses(t, ns, before, installArgs(ns), "LimitRange small refuses Headlamp's pod: memory limit 512Mi is above its maximum 256Mi")
	if err := sb.Kube().CoreV1().LimitRanges(ns).Delete(t.Context(), "small", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	installGatewayAPI(t)
	refuses(t, ns, before, installArgs(ns, gatewayArgs...), "gateway e2e-gateways/public does not exist")
}

// TestInstallForProduction: every production option on, in a namespace that enforces the restricted
// Pod Security Standard under a ResourceQuota. The objects pass a server dry run, then are created;
// re-running with one flag changes only that, and twice changes nothing; a tenant given
// --tenant-access logs in without --url, with the redirect URI checked; uninstall removes it all.
func TestInstallForProduction(t *testing.T) {
	ns := "e2e-install-production"
	newTestNamespace(t, ns, restricted)
	newTestNamespace(t, "e2e-gateways", nil)
	enforcedQuota(t, ns)
	installGatewayAPI(t)
	if _, err := sb.Apply(t.Context(), mustJSON(t, gatewayObject(t, "e2e-gateways", "public"))); err != nil {
		t.Fatal(err)
	}
	pull := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "regcred", Namespace: ns}, Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: []byte(`{"auths":{}}`)}}
	if _, err := sb.Kube().CoreV1().Secrets(ns).Create(t.Context(), pull, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	uninstallAtCleanup(t, ns)
	args := installArgs(ns, append([]string{"--image-pull-secret", "regcred", "--requests", "cpu=200m", "--limits", "memory=768Mi",
		"--network-policy", "--tenant-access", "tenant-a-owners", "--oidc-callback-url", "http://localhost:8080/oidc-callback"}, gatewayArgs...)...)

	mustSucceed(t, runAsAdmin(t, append(args, "--dry-run=server")...))
	if left := oursIn(t, ns); len(left) != 0 {
		t.Fatalf("a server dry run stored %v", left)
	}
	mustSucceed(t, runAsAdmin(t, args...))
	waitAvailable(t, ns, "headlamp")
	checkProductionObjects(t, ns)
	if used := quotaUsed(t, ns, corev1.ResourcePods); used.Value() != 1 {
		t.Errorf("the quota counted %s pods: it was not in force", used.String())
	}
	installed := oursIn(t, ns)

	run := runAsAdmin(t, "install", "-n", ns, "--image", "ghcr.io/headlamp-k8s/headlamp:v0.45.1", "--timeout", "2m")
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "keeping the installed client secret", "deployment.apps/headlamp configured")
	upgraded := oursIn(t, ns)
	if !reflect.DeepEqual(without(upgraded, "deployment/headlamp"), without(installed, "deployment/headlamp")) {
		t.Errorf("--image alone changed other objects:\nbefore %v\nafter  %v", installed, upgraded)
	}
	run = runAsAdmin(t, "install", "-n", ns, "--timeout", "2m")
	mustSucceed(t, run)
	if again := oursIn(t, ns); !reflect.DeepEqual(again, upgraded) {
		t.Errorf("a second identical install changed objects:\nbefore %v\nafter  %v", upgraded, again)
	}

	tenantLogsIn(t, ns)
	mustSucceed(t, runAsAdmin(t, "uninstall", "-n", ns))
	if left := oursIn(t, ns); len(left) != 0 {
		t.Errorf("uninstall left %v", left)
	}
}

// checkProductionObjects looks at what the production options created.
func checkProductionObjects(t *testing.T, ns string) {
	t.Helper()
	objs := oursIn(t, ns)
	for _, want := range []string{"networkpolicy/headlamp", "httproute/headlamp", "role/headlamp-tenant-access",
		"rolebinding/headlamp-tenant-access", "configmap/headlamp-oidc", "secret/headlamp-oidc"} {
		if _, ok := objs[want]; !ok {
			t.Errorf("install did not create %s: %v", want, objs)
		}
	}
	pods, err := sb.Kube().CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
	if err != nil || len(pods.Items) == 0 {
		t.Fatalf("no Headlamp pod: %v", err)
	}
	spec := pods.Items[0].Spec
	c := spec.Containers[0]
	if len(spec.ImagePullSecrets) != 1 || spec.ImagePullSecrets[0].Name != "regcred" ||
		c.Resources.Requests.Cpu().String() != "200m" || c.Resources.Limits.Memory().String() != "768Mi" {
		t.Errorf("pod: pull secrets %v, resources %+v", spec.ImagePullSecrets, c.Resources)
	}
	np, err := sb.Kube().NetworkingV1().NetworkPolicies(ns).Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil || len(np.Spec.Egress) != 3 || np.Spec.Egress[2].To[0].IPBlock == nil ||
		np.Spec.Egress[2].To[0].IPBlock.CIDR != "127.0.0.1/32" || np.Spec.Egress[2].Ports[0].Port.IntValue() != 5556 {
		t.Errorf("network policy does not let Headlamp reach Dex at 127.0.0.1:5556: %v %+v", err, np.Spec.Egress)
	}
}

// tenantLogsIn: alice, owner of tenant-a and member of tenant-a-owners, finds Headlamp through its
// HTTPRoute without --url and gets the redirect URI checked, with the settings she may now read.
func tenantLogsIn(t *testing.T, ns string) {
	t.Helper()
	kc := filepath.Join(t.TempDir(), "alice.kubeconfig")
	if err := sb.WriteUserKubeconfig(t.Context(), kc, stack.Alice.Email); err != nil {
		t.Fatal(err)
	}
	run := runPlugin(t, nil, []string{"KUBECONFIG=" + kc}, "login", "-n", ns, "--no-browser", "-o", "json")
	mustSucceed(t, run)
	var s session
	if err := json.Unmarshal([]byte(run.Stdout), &s); err != nil {
		t.Fatalf("stdout is not a session: %v\n%s", err, run.Stdout)
	}
	want := session{URL: "https://headlamp.e2e.example/oidc?cluster=main", HeadlampURL: "https://headlamp.e2e.example",
		ReachedBy: "httproute", HTTPRoute: "headlamp", RedirectURI: "http://localhost:8080/oidc-callback"}
	accepted := s.RedirectURIAccepted
	s.RedirectURIAccepted = nil
	if s != want || accepted == nil || !*accepted {
		t.Errorf("alice's session = %+v (accepted %v), want %+v checked and accepted", s, accepted, want)
	}
	assertNoSecret(t, run, stack.Alice.Password)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
