package authn

import (
	"context"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
)

// Identity is one kube-apiserver of the cluster as its identity Lease in kube-system shows it. Each
// API server keeps a Lease named by its identity (apiserver-<hash of its host name>) and labels its
// /metrics with sha256 of that name, which is how doctor names the API server that answered.
type Identity struct {
	Lease  string // the Lease's name: the API server's identity
	Host   string // label kubernetes.io/hostname
	IDHash string // sha256:<hex> of Lease, as in apiserver_id_hash
}

// Name is the API server's name in messages: its host name, else its identity.
func (i Identity) Name() string {
	if i.Host != "" {
		return i.Host
	}
	return i.Lease
}

// identityLeaseSelector selects kube-apiserver identity Leases (k8s.io/kubernetes
// pkg/controlplane/apiserver: IdentityLeaseComponentLabelKey=kube-apiserver).
const identityLeaseSelector = "apiserver.kubernetes.io/identity=kube-apiserver"

// readIdentities lists the API servers whose identity Lease is current at now: an API server deletes its
// Lease when it stops, and one that died keeps an expired Lease until it is collected.
func readIdentities(ctx context.Context, kube kubernetes.Interface, now time.Time) ([]Identity, error) {
	list, err := kube.CoordinationV1().Leases("kube-system").List(ctx, metav1.ListOptions{LabelSelector: identityLeaseSelector})
	if err != nil {
		return nil, area.WrapAccess(area.Access{Verb: "list", Group: "coordination.k8s.io", Resource: "leases", Namespace: "kube-system"}, err)
	}
	var out []Identity
	for _, l := range list.Items {
		if renew, d := l.Spec.RenewTime, l.Spec.LeaseDurationSeconds; renew != nil && d != nil &&
			now.After(renew.Add(time.Duration(*d)*time.Second)) {
			continue
		}
		out = append(out, Identity{Lease: l.Name, Host: l.Labels["kubernetes.io/hostname"], IDHash: HashOf(l.Name)})
	}
	return out, nil
}

// NameOf names the API server whose /metrics carry idHash: its host name from its identity Lease,
// else the start of the hash.
func (m Metrics) NameOf(idHash string) string {
	for _, k := range m.Known {
		if k.IDHash == idHash {
			return k.Name()
		}
	}
	short := strings.TrimPrefix(idHash, "sha256:")
	if len(short) > 12 {
		short = short[:12]
	}
	if short == "" {
		return "the API server at " + m.Server
	}
	return "API server " + short
}

// Coverage says which API servers the run judged and which it could not reach, for the evidence:
// through the kubeconfig's server doctor reads the /metrics of the API server that answers only.
func (m Metrics) Coverage() string {
	reached := map[string]bool{}
	var judged []string
	for _, s := range m.APIServers {
		reached[s.IDHash] = true
		judged = append(judged, m.NameOf(s.IDHash))
	}
	var missed []string
	for _, k := range m.Known {
		if !reached[k.IDHash] {
			missed = append(missed, k.Name())
		}
	}
	s := fmt.Sprintf("judged %s (the API server answering at %s)", strings.Join(judged, ", "), m.Server)
	switch {
	case m.KnownErr != nil:
		s += "; other API servers unknown: the identity Leases in kube-system could not be read"
	case len(missed) > 0:
		s += fmt.Sprintf("; %d of %d API servers not judged: %s (run doctor with --server set to each)",
			len(missed), len(m.Known), strings.Join(missed, ", "))
	}
	return s
}
