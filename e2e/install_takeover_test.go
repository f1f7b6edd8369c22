package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// chartLiteralSecret is the client secret the chart-like Deployment holds in plain text.
const chartLiteralSecret = "chart-literal-secret-e2e"

// chartRelease is what the official chart leaves with the Capsule guide's values: the client secret as
// a literal env entry, an init container writing a trust store, -insecure-ssl, a rolling update, its
// own oidc Secret, and its ServiceAccount bound to cluster-admin as <release>-admin.
const chartRelease = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
  namespace: capsule-system
  labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp, app.kubernetes.io/managed-by: Helm, helm.sh/chart: headlamp-0.45.0}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: capsule-system}
---
apiVersion: v1
kind: Secret
metadata:
  name: oidc
  namespace: capsule-system
  labels: {app.kubernetes.io/managed-by: Helm}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: capsule-system}
stringData: {clientSecret: ` + chartLiteralSecret + `}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: headlamp-admin
  labels: {app.kubernetes.io/managed-by: Helm}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: capsule-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: headlamp, namespace: capsule-system}]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
  namespace: capsule-system
  labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp, app.kubernetes.io/managed-by: Helm}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: capsule-system}
spec:
  selector: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: capsule-system
  labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp, app.kubernetes.io/managed-by: Helm, helm.sh/chart: headlamp-0.45.0}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: capsule-system}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp}
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp}
    spec:
      serviceAccountName: headlamp
      initContainers:
      - name: update-ca
        image: alpine:3
        command: ["sh", "-c", "cp /etc/ssl/certs/* /certs/"]
        volumeMounts: [{name: certs, mountPath: /certs}]
      containers:
      - name: headlamp
        image: ghcr.io/headlamp-k8s/headlamp:v0.44.0
        args: ["-in-cluster", "-in-cluster-context-name=main", "-oidc-client-id=$(OIDC_CLIENT_ID)",
               "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-oidc-idp-issuer-url=$(OIDC_ISSUER_URL)",
               "-oidc-scopes=$(OIDC_SCOPES)", "-insecure-ssl"]
        env:
        - {name: OIDC_CLIENT_ID, value: headlamp}
        - {name: OIDC_CLIENT_SECRET, value: ` + chartLiteralSecret + `}
        - {name: OIDC_ISSUER_URL, value: "` + stack.IssuerURL + `"}
        - {name: OIDC_SCOPES, value: "openid email profile groups"}
        ports: [{name: http, containerPort: 4466}]
        volumeMounts: [{name: certs, mountPath: /etc/ssl/certs}]
      volumes: [{name: certs, emptyDir: {}}]
`

// TestInstallForceConflictsTakesOverChart: --force-conflicts over the chart's Headlamp ends with exactly
// our Deployment (no literal secret, no init container), a new pod, the cluster-admin binding named
// with the command that removes it, and a doctor run without findings once it is removed.
func TestInstallForceConflictsTakesOverChart(t *testing.T) {
	ns := stack.CapsuleNamespace
	uninstallAtCleanup(t, ns)
	apply(t, chartRelease)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = sb.Kube().RbacV1().ClusterRoleBindings().Delete(ctx, "headlamp-admin", metav1.DeleteOptions{})
		_ = sb.Kube().CoreV1().Secrets(ns).Delete(ctx, "oidc", metav1.DeleteOptions{})
	})
	chartPod := waitAvailable(t, ns, "headlamp")

	run := runAsAdmin(t, installArgs(ns, "--force-conflicts")...)
	assertNoSecret(t, run, chartLiteralSecret)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr,
		`deployment.apps/headlamp is managed by Helm release "headlamp": deleting it to create it anew with only our settings, which restarts Headlamp`,
		"deployment.apps/headlamp created", "warning: clusterrolebinding/headlamp-admin gives serviceaccount capsule-system/headlamp the ClusterRole cluster-admin",
		"kubectl delete clusterrolebinding headlamp-admin", "helm uninstall headlamp")

	dep, err := sb.Kube().AppsV1().Deployments(ns).Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkInstalledDeployment(t, dep)
	raw, _ := json.Marshal(dep.Spec)
	if strings.Contains(string(raw), chartLiteralSecret) || strings.Contains(string(raw), `"name":"OIDC_CLIENT_SECRET"`) ||
		strings.Contains(string(raw), "update-ca") || strings.Contains(string(raw), "insecure-ssl") {
		t.Errorf("the chart's fields survived the take-over:\n%s", raw)
	}
	if dep.Labels["helm.sh/chart"] != "" || dep.Annotations["meta.helm.sh/release-name"] != "" {
		t.Errorf("Helm's metadata survived: %v %v", dep.Labels, dep.Annotations)
	}
	pod := waitAvailable(t, ns, "headlamp")
	if pod.UID == chartPod.UID || len(pod.Spec.InitContainers) != 0 {
		t.Errorf("the pod did not roll: %s (init containers %v)", pod.Name, pod.Spec.InitContainers)
	}
	if _, err := sb.Kube().CoreV1().Secrets(ns).Get(t.Context(), "oidc", metav1.GetOptions{}); err != nil {
		t.Errorf("install touched the chart's own Secret: %v", err)
	}

	// The binding is left alone, and the command install printed removes it.
	kubectl := exec.CommandContext(t.Context(), sb.KubectlPath(), "delete", "clusterrolebinding", "headlamp-admin")
	kubectl.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, adminEnv()...)
	if out, err := kubectl.CombinedOutput(); err != nil {
		t.Fatalf("the printed kubectl delete: %v\n%s", err, out)
	}
	rep, doctor := doctorRun(t, nil, adminEnv(), "--authentication-config", sb.AuthConfigFile())
	if doctor.Code != 0 {
		t.Errorf("doctor after the take-over: exit %d", doctor.Code)
	}
	expectHealthy(t, rep, tokenSkip)
	assertNoSecret(t, doctor, chartLiteralSecret)
	pods, err := sb.Kube().CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
	if err != nil || len(pods.Items) != 1 || pods.Items[0].Status.Phase != corev1.PodRunning {
		t.Errorf("Headlamp pods after the take-over: %v %v", err, podSummary(t.Context(), ns))
	}
}
