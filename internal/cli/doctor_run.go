package cli

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/spf13/cobra"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/browser"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

func (o *doctorOptions) run(cmd *cobra.Command) error {
	out := o.root.streams.Out
	if o.listChecks {
		if o.format == output.JSON {
			return render.WriteCatalogueJSON(out, doctor.Catalogue())
		}
		return render.WriteCatalogueText(out, doctor.Catalogue(), o.root.palette(out))
	}
	ctx := cmd.Context()
	report, env, err := o.check(ctx)
	if err != nil {
		return err
	}
	if err := o.print(out, report); err != nil {
		return err
	}
	if err := o.identity.writeIdentityBundle(ctx, o.timeout, o.root, env.Kube, o.bundleSources(env, report), report); err != nil {
		return err
	}
	return o.verdict(ctx, report)
}

// check plans the selected checks and runs them.
func (o *doctorOptions) check(ctx context.Context) (doctor.Report, doctor.Env, error) {
	env, err := o.env()
	if err != nil {
		return doctor.Report{}, env, err
	}
	plan, err := doctor.NewPlan(doctor.Catalogue(), doctor.AllFacts(env), ids(o.only), ids(o.skip))
	if err != nil {
		return doctor.Report{}, env, usageErrorf("%w", err)
	}
	opts := doctor.RunOptions{Timeout: o.timeout, CheckTimeout: o.checkTimeout, Vars: env.HintVars()}
	if !plan.Runs(doctor.IDTokenObtained) {
		return doctor.Run(ctx, plan, opts), env, nil
	}
	if env, err = o.obtainToken(ctx, env, opts); err != nil {
		return doctor.Report{}, env, err
	}
	// The token source changed: plan again with the facts that use the token obtained.
	if plan, err = doctor.NewPlan(doctor.Catalogue(), doctor.AllFacts(env), ids(o.only), ids(o.skip)); err != nil {
		return doctor.Report{}, env, usageErrorf("%w", err)
	}
	return doctor.Run(ctx, plan, opts), env, nil
}

// verdict turns the report into the command's outcome: the exit code comes from the results, never
// from how they were rendered.
func (o *doctorOptions) verdict(ctx context.Context, report doctor.Report) error {
	switch {
	case report.Interrupted:
		return ctx.Err()
	case report.Failed(doctor.Severity(o.failOn)):
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// print renders the report; the text forms end with the sign-in chain (JSON carries it as "chain").
func (o *doctorOptions) print(out io.Writer, r doctor.Report) error {
	p := o.root.palette(out)
	if o.format == output.JSON {
		return render.WriteJSON(out, r, doctor.Chain(r))
	}
	if err := render.WriteText(out, r, p, o.format == outputShort); err != nil {
		return err
	}
	if _, err := io.WriteString(out, "\n"); err != nil {
		return err
	}
	return render.WriteChain(out, doctor.Chain(r), p)
}

// bundleSources are the objects a support bundle describes: the Headlamp Deployment doctor found (or
// was told), capsule-proxy's, their Services, and the events of both namespaces.
func (o *doctorOptions) bundleSources(env doctor.Env, r doctor.Report) bundle.Sources {
	name := cmpOr(r.Var("HEADLAMP-FOUND", "deployment"), cmpOr(o.headlamp, headlamp.DefaultName))
	hl := bundle.ObjectRef{Namespace: env.Namespace, Name: name}
	px := bundle.ObjectRef{Namespace: o.proxy.Namespace, Name: o.proxy.Service}
	namespaces := []string{env.Namespace}
	if o.proxy.Namespace != env.Namespace {
		namespaces = append(namespaces, o.proxy.Namespace)
	}
	return bundle.Sources{
		Deployments: []bundle.ObjectRef{hl, px}, Services: []bundle.ObjectRef{hl, px}, Namespaces: namespaces,
		ProxySecret: bundle.ObjectRef{Namespace: o.proxy.Namespace, Name: o.proxy.Secret},
	}
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// env builds the clients the checks look at the cluster with.
func (o *doctorOptions) env() (doctor.Env, error) {
	authConfig, err := o.readAuthConfig()
	if err != nil {
		return doctor.Env{}, err
	}
	cfg, err := o.root.kube.ToRESTConfig()
	if err != nil {
		return doctor.Env{}, fmt.Errorf("load kubeconfig: %w", err)
	}
	cs, err := kube.NewClientset(o.root.kube)
	if err != nil {
		return doctor.Env{}, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return doctor.Env{}, err
	}
	identity, err := o.identity.identityEnv(o.root, cfg, dyn, browser.System(o.root.getenv))
	if err != nil {
		return doctor.Env{}, err
	}
	return doctor.Env{
		Kube: cs, Dynamic: dyn, Dialer: podDialer{cfg: cfg, cs: cs}, Server: cfg.Host,
		Namespace: o.root.namespace(), HeadlampName: o.headlamp, Proxy: o.proxy, AuthConfig: authConfig,
		Identity: identity,
	}, nil
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
