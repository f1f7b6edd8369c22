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
)

// postInstallTimeout bounds the doctor run after an install, as doctor's default --timeout does.
const postInstallTimeout = 30 * time.Second

// postInstallDoctor runs, right after an install, the doctor checks that need no user token, on the
// objects just installed, and prints only what is not fine: the same checks and verdicts as
// `kubectl capsule-headlamp doctor`, through the same doctor.Diagnose.
type postInstallDoctor struct {
	root *rootOptions
}

// CheckInstall runs the checks for the installation s, but those in skip (and those depending on
// them), and writes the problems to out as they are found. With wait, the checks of state that
// converges (Headlamp becoming ready) judge again until they hold or the run's time is up.
func (d postInstallDoctor) CheckInstall(ctx context.Context, s headlamp.Settings, skip []engine.ID, wait bool, out io.Writer) error {
	c, cfg, err := d.root.doctorConfig()
	if err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	fmt.Fprintf(out, "running the doctor checks that need no user token...\n")
	c = d.config(c, s, skip, wait)
	// doctor's identity inputs without a flag: no token, the plugin's trust in the IdP the system roots.
	if c.Identity, err = (&identityOptions{}).identityEnv(d.root, cfg, c.Dynamic, nil); err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	// The short form without the sign-in chain: with no user token most of its hops are unjudged.
	text := render.NewText(out, d.root.palette(out), true)
	c.Observer = text
	report, err := doctor.Diagnose(ctx, c)
	if err != nil {
		return fmt.Errorf("run doctor after install: %w", err)
	}
	if err := text.End(report); err != nil {
		return err
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

// config is the doctor run for the installation s: its namespace, name and proxy, and the checks to
// leave out.
func (d postInstallDoctor) config(c doctor.Config, s headlamp.Settings, skip []engine.ID, wait bool) doctor.Config {
	c.Namespace, c.Headlamp = s.Namespace, s.Name
	c.Proxy = area.ProxyRef{Namespace: s.Proxy.Namespace, Service: s.Proxy.Service, Secret: s.Proxy.Secret}
	c.Timeout, c.CheckTimeout, c.Skip, c.Wait = postInstallTimeout, engine.DefaultCheckTimeout, skip, wait
	return c
}
