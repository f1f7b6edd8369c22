package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// postInstallDoctor runs, right after an install, the doctor checks that need no user token, on the
// objects just installed, and prints only what is not fine: the same checks and verdicts as
// `kubectl capsule-headlamp doctor`.
type postInstallDoctor struct {
	root *rootOptions
}

// CheckInstall runs the checks for the installation s, but those in skip (and those depending on
// them), and writes the problems to out.
func (d postInstallDoctor) CheckInstall(ctx context.Context, s headlamp.Settings, skip []doctor.ID, out io.Writer) error {
	o := d.options(s, skip)
	fmt.Fprintf(out, "running the doctor checks that need no user token...\n")
	report, _, err := o.check(ctx)
	if err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	// The short form without the sign-in chain: with no user token most of its hops are unjudged.
	if err := render.WriteText(out, report, d.root.palette(out), true); err != nil {
		return err
	}
	err = o.verdict(ctx, report)
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		return &ExitError{Code: ExitFailure, Err: errors.New(
			"installed, but doctor found problems (above): fix them, then run `kubectl capsule-headlamp doctor`")}
	}
	return err
}

// options are the doctor's flags for the installation s: its name and proxy, short output, and the
// checks to leave out.
func (d postInstallDoctor) options(s headlamp.Settings, skip []doctor.ID) *doctorOptions {
	o := &doctorOptions{
		root:         d.root,
		format:       outputShort,
		timeout:      30 * time.Second,
		checkTimeout: doctor.DefaultCheckTimeout,
		failOn:       string(doctor.SeverityError),
		headlamp:     s.Name,
		proxy:        doctor.ProxyRef{Namespace: s.Proxy.Namespace, Service: s.Proxy.Service, Secret: s.Proxy.Secret},
	}
	for _, id := range skip {
		o.skip = append(o.skip, string(id))
	}
	return o
}
