package cli

import (
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// installClients are the clients install and uninstall write with: typed, and dynamic for the
// Gateway API's HTTPRoutes.
func (o *rootOptions) installClients() (install.Clients, error) {
	cs, err := kube.NewClientset(o.cluster())
	if err != nil {
		return install.Clients{}, err
	}
	dc, err := kube.NewDynamic(o.cluster())
	if err != nil {
		return install.Clients{}, err
	}
	return install.Clients{Kube: cs, Dynamic: dc}, nil
}
