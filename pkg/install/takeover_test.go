package install

import (
	"bytes"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// chartObjects are what the official chart leaves with the Capsule guide's values: a Deployment
// with the client secret as a literal env entry and an init container, its Service, ServiceAccount
// and oidc Secret, and the binding of the ServiceAccount to cluster-admin.
func chartObjects() []runtime.Object {
	dep := helmDeployment()
	dep.Labels["helm.sh/chart"] = "headlamp-0.45.0"
	dep.Spec = appsv1.DeploymentSpec{
		Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{}},
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "update-ca", Image: "alpine:3"}},
			Containers: []corev1.Container{{Name: "headlamp", Image: "ghcr.io/headlamp-k8s/headlamp:v0.44.0",
				Args: []string{"-in-cluster", "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-insecure-ssl"},
				Env:  []corev1.EnvVar{{Name: "OIDC_CLIENT_SECRET", Value: "chart-literal-secret"}}}},
		}},
	}
	helmMeta := func(name string) metav1.ObjectMeta {
		m := helmDeployment().ObjectMeta
		m.Name = name
		return m
	}
	subject := rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: "headlamp", Namespace: "capsule-system"}
	return []runtime.Object{dep,
		&corev1.Service{ObjectMeta: helmMeta("headlamp"), Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}}},
		&corev1.ServiceAccount{ObjectMeta: helmMeta("headlamp")},
		&corev1.Secret{ObjectMeta: helmMeta("oidc"), Data: map[string][]byte{"clientSecret": []byte("chart-literal-secret")}},
		&rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-admin"}, Subjects: []rbacv1.Subject{subject},
			RoleRef: rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"}},
		&rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "someone-else"},
			Subjects: []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "headlamp", Namespace: "elsewhere"}},
			RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"}},
	}
}

func TestTakeOverLeavesOnlyOurFields(t *testing.T) {
	objs := append([]runtime.Object{namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey)}, chartObjects()...)
	cs := cluster(nil, objs...)
	var progress bytes.Buffer
	opts := testOptions()
	opts.ForceConflicts, opts.Progress = true, &progress
	res, err := Install(t.Context(), clients(cs), opts)
	if err != nil {
		t.Fatal(err)
	}
	dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec := dep.Spec.Template.Spec
	if len(spec.InitContainers) != 0 || len(spec.Containers) != 1 {
		t.Errorf("the chart's containers survived: init %v", spec.InitContainers)
	}
	for _, e := range spec.Containers[0].Env {
		if e.Value == "chart-literal-secret" || !strings.HasPrefix(e.Name, headlamp.EnvConfigPrefix) && strings.HasPrefix(e.Name, "OIDC_") {
			t.Errorf("the chart's env entry %s survived", e.Name)
		}
	}
	if strings.Contains(strings.Join(spec.Containers[0].Args, " "), "insecure") || dep.Labels["helm.sh/chart"] != "" ||
		dep.Annotations[headlamp.AnnotationHelmRelease] != "" || dep.Spec.Strategy.RollingUpdate != nil {
		t.Errorf("the chart's fields survived: args %v, labels %v, annotations %v", spec.Containers[0].Args, dep.Labels, dep.Annotations)
	}
	svc, err := cs.CoreV1().Services("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil || svc.Annotations[headlamp.AnnotationHelmRelease] != "" || !headlamp.OwnerOf(svc).Ours() {
		t.Errorf("service not taken over: %v %v", err, svc.ObjectMeta)
	}
	for _, a := range cs.Actions() {
		if a.GetVerb() == "delete" && a.GetResource().Resource != "deployments" && a.GetResource().Resource != "services" &&
			a.GetResource().Resource != "serviceaccounts" {
			t.Errorf("deleted a %s, which install does not create", a.GetResource().Resource)
		}
	}
	if _, err := cs.CoreV1().Secrets("capsule-system").Get(t.Context(), "oidc", metav1.GetOptions{}); err != nil {
		t.Errorf("the chart's own Secret was touched: %v", err)
	}
	mustSay(t, "progress", progress.String(), `deployment.apps/headlamp is managed by Helm release "headlamp": deleting it to create it anew`,
		"which restarts Headlamp", "deployment.apps/headlamp created")
	warnings := strings.Join(res.Warnings, "\n")
	mustSay(t, "warnings", warnings, "kubectl delete clusterrolebinding headlamp-admin", "cluster-admin",
		"helm uninstall headlamp", "kubectl -n capsule-system delete secret -l owner=helm,name=headlamp")
	if strings.Contains(warnings, "someone-else") {
		t.Errorf("warned about a binding for another service account:\n%s", warnings)
	}
	for _, name := range []string{"headlamp-admin", "someone-else"} {
		if _, err := cs.RbacV1().ClusterRoleBindings().Get(t.Context(), name, metav1.GetOptions{}); err != nil {
			t.Errorf("install touched clusterrolebinding %s: %v", name, err)
		}
	}
}

func TestTakeOverClientDryRunDeletesNothing(t *testing.T) {
	objs := append([]runtime.Object{namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey)}, chartObjects()...)
	cs := cluster(nil, objs...)
	var progress bytes.Buffer
	opts := testOptions()
	opts.ForceConflicts, opts.Progress, opts.DryRun = true, &progress, DryRunClient
	if _, err := Install(t.Context(), clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	for _, a := range cs.Actions() {
		if a.GetVerb() == "delete" || a.GetVerb() == "patch" {
			t.Errorf("client dry run wrote: %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
	mustSay(t, "progress", progress.String(), "install would delete it and create it anew, which restarts Headlamp")
}

func TestTakeOverNeedsDelete(t *testing.T) {
	objs := append([]runtime.Object{namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey)}, chartObjects()...)
	opts := testOptions()
	opts.ForceConflicts = true
	facts, err := Preflight(t.Context(), clients(cluster(map[string]bool{"delete deployments": true}, objs...)), opts)
	if err != nil || len(facts.Findings[ConcernAccess]) != 1 || !strings.Contains(facts.Findings[ConcernAccess][0].What, "you may not delete deployments") {
		t.Errorf("err = %v, findings %v, want the missing delete permission named", err, facts.Findings[ConcernAccess])
	}
	// Without a take-over nobody needs delete.
	facts, err = Preflight(t.Context(), clients(cluster(map[string]bool{"delete deployments": true}, namespace("capsule-system"), proxyService(),
		proxySecret(goodPKI(t), headlamp.CAKey))), opts)
	if err != nil || len(facts.Problems()) != 0 {
		t.Errorf("a fresh install asked for delete: %v %v", err, facts.Problems())
	}
}

func mustSay(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, got)
		}
	}
}
