package e2e

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorHeadlampFlags: doctor reads Headlamp's version from the image tag and fails a setting that
// version does not define (Headlamp ignores it without a word) and the flag that undoes per-user
// authentication; the installed Headlamp raises neither.
func TestDoctorHeadlampFlags(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectExit(t, run, 0)
		expectHealthy(t, rep, tokenSkip)
		if o := rep.byID()["HEADLAMP-FLAGS"]; o.Evidence["version"] != "0.45.0" {
			t.Errorf("HEADLAMP-FLAGS evidence %v, want the version read from the image tag", o.Evidence)
		}
	})
	t.Run("a misspelt HEADLAMP_CONFIG setting", func(t *testing.T) {
		changeDeployment(t, stack.CapsuleNamespace, "headlamp", func(d *appsv1.Deployment) {
			c := &d.Spec.Template.Spec.Containers[0]
			c.Env = append(c.Env, corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_SCOPE", Value: "groups"})
		})
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		o := expectOnly(t, rep, "HEADLAMP-FLAGS", "fail", nil, "HEADLAMP_CONFIG_OIDC_SCOPE", "ignored")
		mustContain(t, "hint", o.Hint, "Correct or remove HEADLAMP_CONFIG_OIDC_SCOPE")
		expectExit(t, run, 1)
	})
	t.Run("-unsafe-use-service-account-token", func(t *testing.T) {
		headlampArg(t, "-unsafe-use-service-account-token")
		rep, _ := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "HEADLAMP-SA-TOKEN", "fail", nil, "every user acts as ServiceAccount headlamp")
	})
}
