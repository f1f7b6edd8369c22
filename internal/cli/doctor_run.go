package cli

import (
	"context"
	"net"

	"github.com/spf13/cobra"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

func (o *doctorOptions) run(cmd *cobra.Command) error {
	out := o.root.streams.Out
	if o.listChecks {
		if o.format == output.JSON {
			return doctor.WriteCatalogueJSON(out, doctor.Catalogue())
		}
		return doctor.WriteCatalogueText(out, doctor.Catalogue(), o.root.palette(out))
	}
	env, err := o.env()
	if err != nil {
		return err
	}
	plan, err := doctor.NewPlan(doctor.Catalogue(), doctor.AllFacts(env), ids(o.only), ids(o.skip))
	if err != nil {
		return usageErrorf("%w", err)
	}
	ctx := cmd.Context()
	report := doctor.Run(ctx, plan, doctor.RunOptions{Timeout: o.timeout, CheckTimeout: o.checkTimeout, Vars: env.HintVars()})
	if err := o.print(report); err != nil {
		return err
	}
	switch {
	case report.Interrupted:
		return ctx.Err()
	case report.Failed(doctor.Severity(o.failOn)):
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func (o *doctorOptions) print(r doctor.Report) error {
	out := o.root.streams.Out
	switch o.format {
	case output.JSON:
		return doctor.WriteJSON(out, r)
	case outputShort:
		return doctor.WriteText(out, r, o.root.palette(out), true)
	}
	return doctor.WriteText(out, r, o.root.palette(out), false)
}

// env builds the clients the checks look at the cluster with.
func (o *doctorOptions) env() (doctor.Env, error) {
	authConfig, err := o.readAuthConfig()
	if err != nil {
		return doctor.Env{}, err
	}
	cfg, err := o.root.kube.ToRESTConfig()
	if err != nil {
		return doctor.Env{}, err
	}
	cs, err := kube.NewClientset(o.root.kube)
	if err != nil {
		return doctor.Env{}, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return doctor.Env{}, err
	}
	return doctor.Env{
		Kube: cs, Dynamic: dyn, Dialer: podDialer{cfg: cfg, cs: cs}, Server: cfg.Host,
		Namespace: o.root.namespace(), HeadlampName: o.headlamp, Proxy: o.proxy, AuthConfig: authConfig,
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
