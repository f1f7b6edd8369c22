package cli

import (
	"context"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// keepInstalled reads the Headlamp installed in the namespace and keeps each of its settings whose
// flags were not given, the client secret included: there is no prompt for a secret that is
// installed. Then it checks what must be known either way.
func (o *installOptions) keepInstalled(ctx context.Context, c install.Clients) error {
	s := o.input.Settings
	cur, err := install.ReadCurrent(ctx, c, s.Namespace, s.Name)
	if err != nil {
		return err
	}
	given := o.input.ClientSecret != ""
	o.input = install.KeepInstalled(o.input, cur, o.given)
	w, p := o.root.streams.ErrOut, o.root.palette(o.root.streams.ErrOut)
	if cur != nil {
		fmt.Fprintf(w, "Headlamp is installed in namespace %s: settings not given as flags are kept\n", s.Namespace)
		if cur.Unreadable != nil {
			fmt.Fprintf(w, "%s warning: some installed settings could not be read and take their defaults: %v\n", p.Yellow("!"), cur.Unreadable)
		}
	}
	if err := o.required(); err != nil {
		return err
	}
	switch {
	case given:
	case o.input.ClientSecret != "":
		fmt.Fprintf(w, "keeping the installed client secret (secret/%s); give --oidc-client-secret-file or $%s to change it\n",
			headlamp.SecretName(s.Name), envClientSecret)
	default:
		if o.input.ClientSecret, err = o.promptedSecret(ctx); err != nil {
			return err
		}
	}
	o.warnTenantAccess()
	return nil
}

// warnTenantAccess says when tenants are given access but no way in: they may read where Headlamp
// is, but reach it only through an Ingress or HTTPRoute (they may not port-forward).
func (o *installOptions) warnTenantAccess() {
	s := o.input.Settings
	if len(s.TenantAccess) > 0 && s.Ingress == nil && s.Gateway == nil {
		w := o.root.streams.ErrOut
		fmt.Fprintf(w, "%s warning: --tenant-access without --ingress-host or --gateway: tenants may find Headlamp but not reach it (they may not port-forward); expose it, or give them its URL for login --url\n",
			o.root.palette(w).Yellow("!"))
	}
}
