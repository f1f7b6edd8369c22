package e2e

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

func TestInstallReinstallUninstall(t *testing.T) {
	ns := stack.CapsuleNamespace
	uninstallAtCleanup(t, ns)
	run := runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp created", "deployment capsule-system/headlamp is available",
		"Next: kubectl capsule-headlamp login")

	pod := waitAvailable(t, ns, "headlamp")
	if pod.Spec.NodeName != stack.FakeNodeName {
		t.Errorf("pod on node %q, want the KWOK node", pod.Spec.NodeName)
	}
	checkInstalledObjects(t, ns)
	checkStandinConfig(t, ns, pod.Name)

	before := oursIn(t, ns)
	if len(before) != 6 {
		t.Fatalf("install created %v, want serviceaccount, OIDC configmap, secret, IdP CA configmap, deployment, service", before)
	}
	run = runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	if after := oursIn(t, ns); !reflect.DeepEqual(after, before) {
		t.Errorf("a second install changed objects:\nbefore %v\nafter  %v", before, after)
	}
	if strings.Count(run.Stderr, " unchanged") != 6 {
		t.Errorf("a second install does not report every object unchanged:\n%s", run.Stderr)
	}

	run = runAsAdmin(t, "uninstall", "-n", ns)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp deleted", "all 6 objects are gone")
	if left := oursIn(t, ns); len(left) != 0 {
		t.Errorf("uninstall left %v", left)
	}
	for _, check := range []func() error{
		func() error { _, err := sb.ProxySecret(t.Context()); return err },
		func() error {
			_, err := sb.Kube().CoreV1().Services(ns).Get(t.Context(), stack.ProxyServiceName, metav1.GetOptions{})
			return err
		},
		func() error {
			_, err := sb.Kube().AppsV1().Deployments(ns).Get(t.Context(), "capsule-proxy", metav1.GetOptions{})
			return err
		},
	} {
		if err := check(); err != nil {
			t.Errorf("uninstall removed something not ours: %v", err)
		}
	}
	pods, err := sb.Kube().CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
	if err != nil || len(pods.Items) != 0 {
		t.Errorf("Headlamp pods left after uninstall: %v %v", pods, err)
	}
}

// checkInstalledObjects compares what install created with the specification.
func checkInstalledObjects(t *testing.T, ns string) {
	t.Helper()
	ctx, kube := t.Context(), sb.Kube()
	sa, err := kube.CoreV1().ServiceAccounts(ns).Get(ctx, "headlamp", metav1.GetOptions{})
	if err != nil || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("service account: %v, automount %v", err, sa.AutomountServiceAccountToken)
	}
	sec, err := kube.CoreV1().Secrets(ns).Get(ctx, "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Data) != 1 || string(sec.Data["clientSecret"]) != headlampClientSecret(t) {
		t.Errorf("the secret holds keys %v, want the client secret alone", slices.Sorted(maps.Keys(sec.Data)))
	}
	settings, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"clientID": "headlamp", "issuerURL": stack.IssuerURL, "scopes": "profile,email,groups,offline_access"}
	if !reflect.DeepEqual(settings.Data, want) {
		t.Errorf("OIDC settings configmap = %v, want %v", settings.Data, want)
	}
	cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, "headlamp-idp-ca", metav1.GetOptions{})
	if err != nil || !strings.Contains(cm.Data["ca.crt"], "BEGIN CERTIFICATE") {
		t.Errorf("IdP CA configmap: %v %v", err, cm.Data)
	}
	dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkInstalledDeployment(t, dep)
	svc, err := kube.CoreV1().Services(ns).Get(ctx, "headlamp", metav1.GetOptions{})
	if err != nil || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 80 || svc.Spec.Ports[0].TargetPort.StrVal != "http" {
		t.Errorf("service: %v %+v", err, svc.Spec.Ports)
	}
	crbs, err := kube.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{LabelSelector: managedBy})
	if err != nil || len(crbs.Items) != 0 {
		t.Errorf("install created cluster role bindings: %v %v", crbs.Items, err)
	}
}

func checkInstalledDeployment(t *testing.T, dep *appsv1.Deployment) {
	t.Helper()
	spec := dep.Spec.Template.Spec
	c := spec.Containers[0]
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	sc, psc := c.SecurityContext, spec.SecurityContext
	checks := map[string]bool{
		"one replica":      *dep.Spec.Replicas == 1,
		"recreate":         dep.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType,
		"in-cluster args":  slices.Equal(c.Args, []string{"-in-cluster", "-in-cluster-context-name=main"}),
		"API host":         env["KUBERNETES_SERVICE_HOST"].Value == "capsule-proxy.capsule-system.svc" && env["KUBERNETES_SERVICE_PORT"].Value == "9001",
		"secret from ref":  env["HEADLAMP_CONFIG_OIDC_CLIENT_SECRET"].ValueFrom != nil && env["HEADLAMP_CONFIG_OIDC_CLIENT_SECRET"].ValueFrom.SecretKeyRef.Key == "clientSecret",
		"issuer from map":  env["HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL"].ValueFrom != nil && env["HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL"].ValueFrom.ConfigMapKeyRef.Name == "headlamp-oidc",
		"resources":        c.Resources.Requests.Memory().String() == "128Mi" && c.Resources.Limits.Memory().String() == "512Mi",
		"IdP CA appended":  env["SSL_CERT_DIR"].Value == "/etc/ssl/certs:/etc/capsule-headlamp/idp-ca",
		"no init":          len(spec.InitContainers) == 0 && !slices.Contains(c.Args, "-insecure-ssl"),
		"non-root":         psc.RunAsNonRoot != nil && *psc.RunAsNonRoot && *psc.RunAsUser == 100 && *psc.RunAsGroup == 101,
		"seccomp":          psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault,
		"container locked": !*sc.AllowPrivilegeEscalation && *sc.ReadOnlyRootFilesystem && slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}),
		"probes":           c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet.Path == "/config" && c.LivenessProbe != nil,
		"config hash":      dep.Spec.Template.Annotations["capsule-headlamp.projectcapsule.dev/config-hash"] != "",
		"no automount":     spec.AutomountServiceAccountToken != nil && !*spec.AutomountServiceAccountToken,
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("deployment: %s not as specified", name)
		}
	}
	var projected *corev1.ProjectedVolumeSource
	for _, v := range spec.Volumes {
		if v.Projected != nil {
			projected = v.Projected
		}
	}
	if projected == nil || len(projected.Sources) != 3 || projected.Sources[0].ServiceAccountToken == nil ||
		projected.Sources[0].ServiceAccountToken.Audience != "kubectl-capsule-headlamp.invalid" ||
		projected.Sources[1].Secret == nil || projected.Sources[1].Secret.Name != "capsule-proxy" ||
		projected.Sources[1].Secret.Items[0].Key != "ca.crt" || projected.Sources[1].Secret.Items[0].Path != "ca.crt" ||
		projected.Sources[2].DownwardAPI == nil {
		t.Errorf("the service account volume is not token + proxy CA + namespace: %+v", projected)
	}
}

// checkStandinConfig asks the Headlamp stand-in, which reads our Deployment like Headlamp reads its
// flags and env, whether OIDC is switched on.
func checkStandinConfig(t *testing.T, ns, pod string) {
	t.Helper()
	assertOIDCConfig(t, "http://"+portForward(t, ns, pod, stack.HeadlampPodPort))
}
