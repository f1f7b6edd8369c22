package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/browser"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/login"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

func (o *loginOptions) run(cmd *cobra.Command) error {
	cfg, err := o.root.cluster().ToRESTConfig()
	if err != nil {
		return fmt.Errorf("load kubeconfig: %w", err)
	}
	// The clientset bounds the lookups; the port-forward dials with cfg, unbounded, until Ctrl-C.
	cs, err := kube.NewClientset(o.root.cluster())
	if err != nil {
		return err
	}
	dc, err := kube.NewDynamic(o.root.cluster())
	if err != nil {
		return err
	}
	errOut := o.root.streams.ErrOut
	env := login.Env{
		Client:  cs,
		Dynamic: dc,
		Dialer:  kube.APIServerDialer{Config: cfg, Client: cs},
		Browser: browser.System(o.root.getenv),
		Status:  errOut,
		Palette: o.root.palette(errOut),
		Ready:   o.print,
	}
	err = login.Run(cmd.Context(), login.Options{
		Namespace: o.root.namespace(),
		Headlamp:  o.headlamp,
		URL:       o.url,
		Path:      o.path,
		Port:      o.port,
		NoBrowser: o.noBrowser,
		Force:     o.force,
	}, env)
	return o.explain(err)
}

// print writes the session to stdout: the URL alone, or everything as JSON/YAML, never with user info.
func (o *loginOptions) print(s login.Session) error {
	s = s.Redacted()
	if o.format == output.Text {
		_, err := fmt.Fprintln(o.root.streams.Out, s.URL)
		return err
	}
	return output.Print(o.root.streams.Out, o.format, s)
}

// explain adds what to do next to the errors whose fix is a flag of this command.
func (o *loginOptions) explain(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kube.ErrPortInUse):
		return fmt.Errorf("%w: stop the program using it, or choose another --port "+
			"(http://localhost:<port>/oidc-callback must then be registered at the IdP)", err)
	case errors.Is(err, kube.ErrNoReadyPod):
		return fmt.Errorf("%w: see `kubectl -n %s get pods` and the Headlamp Deployment's events", err, o.root.namespace())
	}
	return err
}
