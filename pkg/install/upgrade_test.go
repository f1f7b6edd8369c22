package install

import (
	"reflect"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// gateway is a Gateway API Gateway with one HTTPS listener taking routes from every namespace.
func gateway(from string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
		"metadata": map[string]any{"name": "public", "namespace": "gateways"},
		"spec": map[string]any{"gatewayClassName": "example", "listeners": []any{map[string]any{
			"name": "https", "protocol": "HTTPS", "port": int64(443), "hostname": "*.example.com",
			"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": from}},
		}}},
	}}
}

// productionOptions have every production option on.
func productionOptions() Options {
	opts := testOptions()
	s := &opts.Settings
	s.ImagePullSecrets = []string{"regcred"}
	s.Gateway = &headlamp.Gateway{Namespace: "gateways", Name: "public", Host: "headlamp.example.com"}
	s.NetworkPolicy = &headlamp.NetworkPolicy{}
	s.TenantAccess = []string{"tenant-a-owners"}
	s.OIDC.CA = headlamp.NewIDPCA(s.Name, headlamp.TrustAppend)
	opts.IDPCA = testIDPCA
	return opts
}

var testIDPCA = []byte("-----BEGIN CERTIFICATE-----\nidp\n-----END CERTIFICATE-----\n")

// productionCluster has what productionOptions need: a pull Secret, the Gateway API, a Gateway.
func productionCluster(t *testing.T) Clients {
	cs := healthyCluster(t)
	pull := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "regcred", Namespace: "capsule-system"}, Type: corev1.SecretTypeDockerConfigJson}
	if _, err := cs.CoreV1().Secrets("capsule-system").Create(t.Context(), pull, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	servesGatewayAPI(cs)
	svc, _ := cs.CoreV1().Services("capsule-system").Get(t.Context(), "capsule-proxy", metav1.GetOptions{})
	svc.Spec.Selector = map[string]string{"app.kubernetes.io/name": "capsule-proxy"}
	if _, err := cs.CoreV1().Services("capsule-system").Update(t.Context(), svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	return clients(cs, gateway("All"))
}

// TestUpgradeChangesOnlyTheGivenFlag: re-running install with only --image keeps every other setting
// of the installation (the client secret and IdP CA included) and changes only the image.
func TestUpgradeChangesOnlyTheGivenFlag(t *testing.T) {
	c := productionCluster(t)
	first, err := Install(t.Context(), c, productionOptions())
	if err != nil {
		t.Fatal(err)
	}
	cur, err := ReadCurrent(t.Context(), c, "capsule-system", "headlamp")
	if err != nil || cur == nil || cur.Unreadable != nil {
		t.Fatalf("ReadCurrent = %+v, %v", cur, err)
	}
	if cur.ClientSecret != "test-client-secret" || string(cur.IDPCA) != string(testIDPCA) {
		t.Errorf("the installed secret or IdP CA were not read back")
	}

	opts := testOptions()
	opts.Settings.OIDC.IssuerURL, opts.ClientSecret = "", ""
	opts.Settings.Image = "registry.example.com/headlamp:v0.46.0"
	opts = KeepInstalled(opts, cur, func(flag string) bool { return flag == "image" })
	second, err := Install(t.Context(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := first.Settings
	want.Image = opts.Settings.Image
	if !reflect.DeepEqual(second.Settings, want) {
		t.Errorf("the second install changed more than the image:\n got %+v\nwant %+v", second.Settings, want)
	}
	if string(second.Objects.Secret.Data["clientSecret"]) != headlamp.RedactedValue || opts.ClientSecret != "test-client-secret" {
		t.Error("the installed client secret was not kept")
	}
}

// TestUpgradeFromTheSecretLayout: an installation that kept its OIDC settings in the Secret is read
// back from there, and install moves them into the ConfigMap, leaving only the client secret.
func TestUpgradeFromTheSecretLayout(t *testing.T) {
	cs := healthyCluster(t)
	c := clients(cs)
	if _, err := Install(t.Context(), c, testOptions()); err != nil {
		t.Fatal(err)
	}
	// Back to the earlier layout: settings in the Secret, the Deployment reading them from there.
	cm, _ := cs.CoreV1().ConfigMaps("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	sec, _ := cs.CoreV1().Secrets("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	for k, v := range cm.Data {
		sec.Data[k] = []byte(v)
	}
	if _, err := cs.CoreV1().Secrets("capsule-system").Update(t.Context(), sec, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := cs.CoreV1().ConfigMaps("capsule-system").Delete(t.Context(), "headlamp-oidc", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	dep, _ := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	toSecretRefs(dep)
	if _, err := cs.AppsV1().Deployments("capsule-system").Update(t.Context(), dep, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	cur, err := ReadCurrent(t.Context(), c, "capsule-system", "headlamp")
	if err != nil || cur == nil || cur.Settings.OIDC.IssuerURL != "https://dex.example.com/dex" || cur.ClientSecret != "test-client-secret" {
		t.Fatalf("the earlier layout read back as %+v, %v", cur, err)
	}
	opts := testOptions()
	opts.Settings.OIDC.IssuerURL, opts.ClientSecret = "", ""
	if _, err := Install(t.Context(), c, KeepInstalled(opts, cur, func(string) bool { return false })); err != nil {
		t.Fatal(err)
	}
	sec, _ = cs.CoreV1().Secrets("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	cm, err = cs.CoreV1().ConfigMaps("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil || cm.Data["issuerURL"] != "https://dex.example.com/dex" {
		t.Errorf("the settings did not move into the ConfigMap: %v %v", cm, err)
	}
	// The fake clientset replaces objects on apply; the API server drops the keys we no longer set.
	if string(sec.Data["clientSecret"]) != "test-client-secret" {
		t.Errorf("the client secret was lost in the move")
	}
}

// toSecretRefs makes the Deployment read its ConfigMap references from the Secret of the same name.
func toSecretRefs(dep *appsv1.Deployment) {
	c := &dep.Spec.Template.Spec.Containers[0]
	for i, env := range c.Env {
		if ref := env.ValueFrom; ref != nil && ref.ConfigMapKeyRef != nil {
			c.Env[i].ValueFrom = &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: ref.ConfigMapKeyRef.LocalObjectReference, Key: ref.ConfigMapKeyRef.Key}}
		}
	}
}

func TestKeepInstalledResources(t *testing.T) {
	q := resource.MustParse
	cur := &Current{Settings: headlamp.New("capsule-system")}
	cur.Settings.Resources.Limits[corev1.ResourceMemory] = q("2Gi")
	opts := testOptions()
	opts.ResourceFlags = headlamp.Resources{Requests: corev1.ResourceList{corev1.ResourceCPU: q("300m")}}
	got := KeepInstalled(opts, cur, func(f string) bool { return f == "requests" }).Settings.Resources
	if got.Requests.Cpu().String() != "300m" || got.Limits.Memory().String() != "2Gi" || got.Requests.Memory().String() != "128Mi" {
		t.Errorf("resources = %+v: the given request must replace only its own, the installed limit stay", got)
	}
	cur.Settings.Resources = headlamp.Resources{}
	got = KeepInstalled(testOptions(), cur, func(string) bool { return false }).Settings.Resources
	if !reflect.DeepEqual(got, headlamp.DefaultResources()) {
		t.Errorf("an installation without resources gets %+v, want the defaults", got)
	}
}

func TestKeepInstalledExposure(t *testing.T) {
	cur := &Current{Settings: headlamp.New("capsule-system")}
	cur.Settings.Ingress = &headlamp.Ingress{Host: "old.example.com"}
	opts := testOptions()
	opts.Settings.Gateway = &headlamp.Gateway{Namespace: "gw", Name: "public", Host: "new.example.com"}
	got := KeepInstalled(opts, cur, func(f string) bool { return slices.Contains([]string{"gateway", "gateway-host"}, f) }).Settings
	if got.Ingress != nil || got.Gateway == nil {
		t.Errorf("--gateway on an installed Ingress: ingress %+v, gateway %+v; want the route instead", got.Ingress, got.Gateway)
	}
	got = KeepInstalled(testOptions(), cur, func(string) bool { return false }).Settings
	if got.Ingress == nil || got.Ingress.Host != "old.example.com" {
		t.Errorf("no flag: ingress %+v, want the installed one", got.Ingress)
	}
}

// TestReadCurrentLeavesForbiddenToPreflight: a user who may not read the Deployment gets no error
// here; preflight names that permission with the others install needs.
func TestReadCurrentLeavesForbiddenToPreflight(t *testing.T) {
	cs := healthyCluster(t)
	cs.PrependReactor("get", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "headlamp", nil)
	})
	if cur, err := ReadCurrent(t.Context(), clients(cs), "capsule-system", "headlamp"); cur != nil || err != nil {
		t.Errorf("ReadCurrent = %+v, %v; want nothing and no error", cur, err)
	}
}
