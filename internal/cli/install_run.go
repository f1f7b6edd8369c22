package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

func (o *installOptions) run(cmd *cobra.Command) error {
	if err := o.load(cmd.Context()); err != nil {
		return err
	}
	if o.flags.helmValues {
		return o.printHelmValues()
	}
	c, err := o.clients()
	if err != nil {
		return err
	}
	if err := o.keepInstalled(cmd.Context(), c); err != nil {
		return err
	}
	errOut := o.root.streams.ErrOut
	o.input.Progress, o.input.Terminal = errOut, style.IsTerminal(errOut)
	if o.doctor != nil {
		o.input.Check = func(ctx context.Context, p install.Plan) error { return o.doctor.CheckPlan(ctx, p, errOut) }
	}
	res, err := install.Install(cmd.Context(), c, o.input)
	if res.Objects.Deployment != nil && o.format != output.Text {
		if perr := o.printObjects(res); perr != nil {
			return perr
		}
	}
	// Warnings are printed whatever happened: a leftover cluster-admin binding matters even when
	// the wait failed.
	for _, w := range res.Warnings {
		fmt.Fprintf(errOut, "%s warning: %s\n", o.root.palette(errOut).Yellow("!"), w)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && len(res.Applied) > 0 {
			fmt.Fprintf(errOut, "the objects were applied but Headlamp may not be ready: check with kubectl -n %s rollout status deployment/%s\n",
				res.Settings.Namespace, res.Settings.Name)
		}
		return err
	}
	return o.finish(cmd.Context(), res)
}

// printObjects writes the objects as a v1 List, which kubectl apply -f accepts.
func (o *installOptions) printObjects(res install.Result) error {
	list := map[string]any{"apiVersion": "v1", "kind": "List", "items": res.Objects.List()}
	if err := output.Print(o.root.streams.Out, o.format, list); err != nil {
		return err
	}
	fmt.Fprintf(o.root.streams.ErrOut, "note: the client secret in secret/%s is printed as %s\n",
		headlamp.SecretName(res.Settings.Name), headlamp.RedactedValue)
	return nil
}

func (o *installOptions) printHelmValues() error {
	s := o.input.Settings
	key := o.input.ProxyCAKey
	if key == "" {
		key = headlamp.CAKey
	}
	s.TrustProxyCA(key, o.input.ProxyCABundle)
	values, err := headlamp.HelmValues(s)
	if err != nil {
		return err
	}
	_, err = o.root.streams.Out.Write(values)
	return err
}

// finish tells what happened and what to do next, after the optional doctor checks.
func (o *installOptions) finish(ctx context.Context, res install.Result) error {
	w, p, s := o.root.streams.ErrOut, o.root.palette(o.root.streams.ErrOut), res.Settings
	if !o.input.DryRun.Writes() {
		fmt.Fprintf(w, "%s dry run (%s): nothing was changed\n", p.Yellow("!"), o.input.DryRun)
		return nil
	}
	if s.Proxy.CopyCA {
		fmt.Fprintf(w, "%s capsule-proxy's CA was copied into configmap/%s: run install again after a CA rotation, or keep it in sync with --proxy-ca-bundle\n",
			p.Yellow("!"), s.Proxy.CA.Name)
	}
	if err := o.checkInstall(ctx, s); err != nil {
		return err
	}
	next := displayName + " login"
	if s.Namespace != defaultNamespace {
		next += " -n " + s.Namespace
	}
	fmt.Fprintf(w, "%s Headlamp is installed behind capsule-proxy. Next: %s\n", p.Green("✓"), p.Bold(next))
	return nil
}

// checkInstall runs the post-install doctor unless --skip-doctor, and says how to follow a rollout
// install did not wait for.
func (o *installOptions) checkInstall(ctx context.Context, s headlamp.Settings) error {
	w := o.root.streams.ErrOut
	runs := o.doctor != nil && !o.flags.skipDoctor
	var skip []engine.ID
	if !o.input.Wait {
		// A fresh pod (and, with the Recreate strategy, every restart) is not ready yet: judging
		// readiness now would fail every install that did not wait.
		skip = append(skip, hlcheck.IDReady)
		left := ""
		if runs {
			left = fmt.Sprintf(" (the doctor leaves out %s)", hlcheck.IDReady)
		}
		fmt.Fprintf(w, "not waiting for Headlamp to be ready%s: follow the rollout with kubectl -n %s rollout status deployment/%s\n",
			left, s.Namespace, s.Name)
	}
	if !runs {
		return nil
	}
	return o.doctor.CheckInstall(ctx, s, skip, o.input.Wait, w)
}
