package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/browser"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// listCatalogue prints --list-checks.
func (o *doctorOptions) listCatalogue() error {
	out := o.root.streams.Out
	if o.format == output.JSON {
		return render.WriteCatalogueJSON(out, catalogue.Checks())
	}
	return render.WriteCatalogueText(out, catalogue.Checks(), o.root.palette(out))
}

// Complete reads the files the flags name and builds the clients: the run's typed inputs. A file that
// cannot be used is a usage error, before any check runs.
func (o *doctorOptions) Complete() error {
	if err := o.validateInputs(); err != nil {
		return err
	}
	authConfig, err := o.readAuthConfig()
	if err != nil {
		return err
	}
	c, cfg, err := o.root.doctorConfig()
	if err != nil {
		return err
	}
	if c.Identity, err = o.identity.identityEnv(o.root, cfg, browser.System(o.root.getenv)); err != nil {
		return err
	}
	c.Namespace, c.Headlamp, c.Proxy, c.AuthConfig = o.root.namespace(), o.headlamp, o.proxy, authConfig
	c.Timeout, c.CheckTimeout, c.Only, c.Skip = o.timeout, o.checkTimeout, ids(o.only), ids(o.skip)
	o.config = c
	return nil
}

// progressAfter is how long a run may go without a result before doctor says what it waits for.
const progressAfter = 3 * time.Second

// Run diagnoses, prints the report (text as results come), writes the bundle, and turns the report
// into the exit code.
func (o *doctorOptions) Run(ctx context.Context) error {
	out, errOut := o.root.streams.Out, o.root.streams.ErrOut
	var text *render.Text
	if o.format != output.JSON {
		text = render.NewText(out, o.root.palette(out), o.format == outputShort)
		o.config.Observer = text
	}
	if style.IsTerminal(errOut) { // a person watches: say what a silent run waits for
		o.config.Observer = render.NewProgress(o.config.Observer, errOut, progressAfter)
	}
	report, err := doctor.Diagnose(ctx, o.config)
	if err != nil {
		return err
	}
	if err := o.print(out, report, text); err != nil {
		return err
	}
	if err := o.identity.writeIdentityBundle(ctx, o.timeout, o.root, o.config, report); err != nil {
		return err
	}
	return o.verdict(ctx, report)
}

// verdict turns the report into the command's outcome: the exit code comes from the results, never
// from how they were rendered. A blind run (no check could look) fails, saying so.
func (o *doctorOptions) verdict(ctx context.Context, report engine.Report) error {
	switch {
	case report.Interrupted:
		return ctx.Err()
	case report.Failed(engine.Severity(o.failOn)):
		return &ExitError{Code: ExitFailure}
	case report.Blind():
		return &ExitError{Code: ExitFailure, Err: blindRun(report, o.timeout)}
	}
	return nil
}

// blindRun says that a run whose checks all ended unknown or skipped verified nothing: such a run
// must not read as healthy.
func blindRun(report engine.Report, timeout time.Duration) error {
	n := report.Counts()
	return fmt.Errorf("no check could look at anything (%d unknown, %d skipped): "+
		"nothing was verified; see why above (a --timeout of %s too short? an API server that does not answer?)",
		n[engine.StatusUnknown], n[engine.StatusSkip], timeout)
}

// print ends the report: the text forms (streamed during the run) with their summary and the sign-in
// chain; JSON whole, with the chain as "chain".
func (o *doctorOptions) print(out io.Writer, r engine.Report, text *render.Text) error {
	if text == nil {
		return render.WriteJSON(out, r, doctor.Chain(r))
	}
	if err := text.End(r); err != nil {
		return err
	}
	if _, err := io.WriteString(out, "\n"); err != nil {
		return err
	}
	return render.WriteChain(out, doctor.Chain(r), o.root.palette(out))
}

// doctorConfig is a doctor run's clients, from kubectl's flags: the kubeconfig's REST config is
// returned too, for the identity checks' own clients.
func (o *rootOptions) doctorConfig() (doctor.Config, *rest.Config, error) {
	cfg, err := o.cluster().ToRESTConfig()
	if err != nil {
		return doctor.Config{}, nil, fmt.Errorf("load kubeconfig: %w", err)
	}
	cs, err := kube.NewClientset(o.cluster())
	if err != nil {
		return doctor.Config{}, nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return doctor.Config{}, nil, err
	}
	return doctor.Config{Kube: cs, Dynamic: dyn, Dialer: podDialer{cfg: cfg, cs: cs}, Server: cfg.Host}, cfg, nil
}

// podDialer reaches a pod port through the API server's port-forward.
type podDialer struct {
	cfg *rest.Config
	cs  kubernetes.Interface
}

func (d podDialer) DialPod(ctx context.Context, namespace, pod string, port int) (net.Conn, error) {
	return kube.DialPodPort(ctx, kube.ForwardOptions{
		Pods:   kube.FixedPod{Namespace: namespace, Name: pod, Port: port},
		Dialer: kube.APIServerDialer{Config: d.cfg, Client: d.cs},
	})
}
