package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// postInstallTimeout bounds the doctor run after an install, as doctor's default --timeout does; the
// pre-install run has the same bound.
const postInstallTimeout = 30 * time.Second

// installDoctor runs doctor for install: before it writes, the pre-install checks on the plan; right
// after, the doctor checks that need no user token, on the objects just installed. Both print only
// what is not fine, with the same checks, verdicts and renderer as `kubectl capsule-headlamp doctor`.
type installDoctor struct {
	root *rootOptions
}

// CheckPlan runs the pre-install checks on p and writes the problems to out as they are found. It
// returns an *install.CheckError when a check failed, or when none could look.
func (d installDoctor) CheckPlan(ctx context.Context, p install.Plan, out io.Writer) error {
	c, err := d.tokenless()
	if err != nil {
		return fmt.Errorf("check before installing: %w", err)
	}
	fmt.Fprintf(out, "checking the installation before writing it...\n")
	c.Timeout, c.CheckTimeout = postInstallTimeout, engine.DefaultCheckTimeout
	report, err := d.shown(out, c, func(c doctor.Config) (engine.Report, error) { return doctor.PreInstall(ctx, c, p) })
	if err != nil {
		return fmt.Errorf("check before installing: %w", err)
	}
	switch {
	case report.Interrupted:
		return ctx.Err()
	case report.Failed(engine.SeverityError):
		return &install.CheckError{Problems: report.Counts()[engine.StatusFail]}
	case report.Blind():
		return fmt.Errorf("%w; nothing was changed", blindRun(report, postInstallTimeout))
	}
	return nil
}

// CheckInstall runs the checks for the installation s, but those in skip (and those depending on
// them), and writes the problems to out as they are found. With wait, the checks of state that
// converges (Headlamp becoming ready) judge again until they hold or the run's time is up.
func (d installDoctor) CheckInstall(ctx context.Context, s headlamp.Settings, skip []engine.ID, wait bool, out io.Writer) error {
	c, err := d.tokenless()
	if err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	fmt.Fprintf(out, "running the doctor checks that need no user token...\n")
	c = d.config(c, s, skip, wait)
	report, err := d.shown(out, c, func(c doctor.Config) (engine.Report, error) { return doctor.Diagnose(ctx, c) })
	if err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	switch {
	case report.Interrupted:
		return ctx.Err()
	case report.Failed(engine.SeverityError):
		return &ExitError{Code: ExitFailure, Err: errors.New(
			"installed, but doctor found problems (above): fix them, then run `kubectl capsule-headlamp doctor`")}
	case report.Blind():
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("installed, but %w: run `kubectl capsule-headlamp doctor`",
			blindRun(report, postInstallTimeout))}
	}
	return nil
}

// shown runs a doctor run with c, writing its problems to out as they are found and its summary at the
// end: the short form without the sign-in chain, since with no user token most of its hops are unjudged.
func (d installDoctor) shown(out io.Writer, c doctor.Config, run func(doctor.Config) (engine.Report, error)) (engine.Report, error) {
	text := render.NewText(out, d.root.palette(out), true)
	c.Observer = text
	report, err := run(c)
	if err != nil {
		return report, err
	}
	return report, text.End(report)
}

// tokenless is doctor's configuration with the identity inputs of no flag: no token, the plugin's
// trust in the IdP the system roots (the CA Headlamp is given is added to it).
func (d installDoctor) tokenless() (doctor.Config, error) {
	c, cfg, err := d.root.doctorConfig()
	if err != nil {
		return c, err
	}
	c.Identity, err = (&identityOptions{}).identityEnv(d.root, cfg, nil)
	return c, err
}

// config is the doctor run for the installation s: its namespace, name and proxy, and the checks to
// leave out.
func (d installDoctor) config(c doctor.Config, s headlamp.Settings, skip []engine.ID, wait bool) doctor.Config {
	c.Namespace, c.Headlamp = s.Namespace, s.Name
	c.Proxy = area.ProxyRef{Namespace: s.Proxy.Namespace, Service: s.Proxy.Service, Secret: s.Proxy.Secret}
	c.Timeout, c.CheckTimeout, c.Skip, c.Wait = postInstallTimeout, engine.DefaultCheckTimeout, skip, wait
	return c
}
