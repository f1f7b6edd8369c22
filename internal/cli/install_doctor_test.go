package cli

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// skipRecorder is an installChecker that passes every plan and records the checks it was told to
// leave out after installing.
type skipRecorder struct {
	called bool
	skip   []engine.ID
	wait   bool
}

func (r *skipRecorder) CheckPlan(context.Context, install.Plan, io.Writer) error { return nil }

func (r *skipRecorder) CheckInstall(_ context.Context, _ headlamp.Settings, skip []engine.ID, wait bool, _ io.Writer) error {
	r.called, r.skip, r.wait = true, skip, wait
	return nil
}

func TestInstallWithoutWaitLeavesReadinessOutOfTheDoctor(t *testing.T) {
	for _, wait := range []bool{true, false} {
		streams, _, _, errOut := genericiooptions.NewTestIOStreams()
		rec := &skipRecorder{}
		o := &installOptions{root: &rootOptions{streams: streams, getenv: func(string) string { return "" }}, doctor: rec}
		o.input.Wait, o.input.DryRun = wait, install.DryRunNone
		s := headlamp.Settings{Namespace: defaultNamespace, Name: headlamp.DefaultName}
		if err := o.finish(t.Context(), install.Result{Settings: s}); err != nil {
			t.Fatalf("wait=%v: %v", wait, err)
		}
		left := slices.Contains(rec.skip, hlcheck.IDReady)
		said := strings.Contains(errOut.String(), "not waiting for Headlamp to be ready (the doctor leaves out HEADLAMP-READY)")
		if !rec.called || left == wait || said == wait || rec.wait != wait {
			t.Errorf("wait=%v: doctor called %v, skip %v, stderr:\n%s", wait, rec.called, rec.skip, errOut)
		}
	}
}

func TestPostInstallDoctorSkipsKnownChecks(t *testing.T) {
	s := headlamp.Settings{Namespace: "apps", Name: "hl"}
	c := installDoctor{}.config(doctor.Config{}, s, []engine.ID{hlcheck.IDReady}, true)
	if !slices.Equal(c.Skip, []engine.ID{"HEADLAMP-READY"}) || c.Headlamp != "hl" || c.Namespace != "apps" || !c.Wait {
		t.Fatalf("config: skip %v, headlamp %q in %q, wait %v", c.Skip, c.Headlamp, c.Namespace, c.Wait)
	}
	// An ID the catalogue does not hold would make every install's doctor a usage error.
	if err := doctor.CheckSelection(nil, c.Skip); err != nil {
		t.Errorf("the doctor does not know the skipped check: %v", err)
	}
}

// With --skip-doctor there is no doctor to leave a check out of, so install must not say so.
func TestInstallSkipDoctorDoesNotMentionTheDoctor(t *testing.T) {
	streams, _, _, errOut := genericiooptions.NewTestIOStreams()
	rec := &skipRecorder{}
	o := &installOptions{root: &rootOptions{streams: streams, getenv: func(string) string { return "" }}, doctor: rec}
	o.input.Wait, o.input.DryRun, o.flags.skipDoctor = false, install.DryRunNone, true
	s := headlamp.Settings{Namespace: defaultNamespace, Name: headlamp.DefaultName}
	if err := o.finish(t.Context(), install.Result{Settings: s}); err != nil {
		t.Fatal(err)
	}
	got := errOut.String()
	if rec.called || strings.Contains(got, "doctor") || !strings.Contains(got, "not waiting for Headlamp to be ready: follow the rollout") {
		t.Errorf("doctor called %v, stderr:\n%s", rec.called, got)
	}
}
