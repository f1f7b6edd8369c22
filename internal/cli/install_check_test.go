package cli

import (
	"context"
	"io"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// refusingChecker fails every plan, as doctor's pre-install run does when a check fails.
type refusingChecker struct{ skipRecorder }

func (r *refusingChecker) CheckPlan(context.Context, install.Plan, io.Writer) error {
	return &install.CheckError{Problems: 1}
}

// TestInstallRefusedByTheChecks: a plan the checks refuse exits 1 saying nothing was changed, and
// writes nothing; with --force it writes, and says so; a client dry run does not ask them.
func TestInstallRefusedByTheChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		extra  []string
		code   int
		writes bool
		says   string
	}{
		{"refused", nil, ExitFailure, false, "nothing was changed"},
		{"forced", []string{"--force", "--wait=false"}, ExitOK, true, "--force wrote anyway"},
		{"client dry run", []string{"--dry-run=client"}, ExitOK, false, "dry run (client): nothing was changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			streams, _, _, errOut := genericiooptions.NewTestIOStreams()
			ns := "capsule-system"
			kube := genericclioptions.NewConfigFlags(true)
			kube.Namespace = &ns
			getenv := func(k string) string { return map[string]string{envClientSecret: "s3cr3t-value"}[k] }
			o := &installOptions{root: &rootOptions{streams: streams, getenv: getenv, kube: kube}, doctor: &refusingChecker{}}
			c := productionCluster(t)
			o.clients = func() (install.Clients, error) { return c, nil }
			cmd := o.command()
			cmd.SilenceUsage, cmd.SilenceErrors = true, true // as the root command does
			cmd.SetArgs(append([]string{"--oidc-issuer-url=https://dex.example.com/dex", "--skip-doctor"}, tc.extra...))
			err := cmd.ExecuteContext(t.Context())
			if code := exitCode(t.Context(), err, true); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d\nstderr:\n%s", code, err, tc.code, errOut)
			}
			said := errOut.String()
			if err != nil {
				said += err.Error()
			}
			if !strings.Contains(said, tc.says) {
				t.Errorf("does not say %q:\n%s", tc.says, said)
			}
			_, getErr := c.Kube.AppsV1().Deployments(ns).Get(t.Context(), headlamp.DefaultName, metav1.GetOptions{})
			if wrote := getErr == nil; wrote != tc.writes {
				t.Errorf("wrote %v, want %v (%v)", wrote, tc.writes, getErr)
			}
		})
	}
}
