package install

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// Problem is one reason install cannot go ahead, with what to do about it.
type Problem struct {
	What string `json:"what"`
	Hint string `json:"hint,omitempty"`
}

// Concern names one thing preflight looks at in the cluster for the pre-install checks to judge.
type Concern string

// The concerns of preflight, each judged by one of doctor's pre-install checks.
const (
	ConcernNamespace     Concern = "namespace"
	ConcernAccess        Concern = "permissions"
	ConcernOwners        Concern = "owners"
	ConcernPullSecrets   Concern = "pull secrets"
	ConcernGateway       Concern = "gateway"
	ConcernQuota         Concern = "quota"
	ConcernNetworkPolicy Concern = "network policy"
)

// Facts are what preflight learned: what install needs to build the objects (capsule-proxy's CA, what
// the NetworkPolicy lets through, the objects another manager owns that --force-conflicts takes over),
// and the problems it found per concern, which doctor's pre-install checks report. Preflight itself
// judges nothing: it only reads.
type Facts struct {
	ProxyCA    []byte
	ProxyCAKey string
	// NetworkPolicy is set when the settings ask for one.
	NetworkPolicy *headlamp.NetworkPolicy
	// Foreign are the objects of the installation that exist and are not ours: a problem of
	// ConcernOwners unless ForceConflicts.
	Foreign []ForeignObject
	// Findings maps each concern preflight looked at to the problems it found (none: it holds).
	// A concern it could not look at (the namespace does not exist) is absent.
	Findings map[Concern][]Problem
	// live are the objects of the installation as preflight read them, nil for one it did not find:
	// install's snapshot before it writes, without reading them again.
	live map[ref]metav1.Object
}

// Problems lists every problem found, concern by concern in a fixed order.
func (f Facts) Problems() []Problem {
	var out []Problem
	for _, c := range []Concern{ConcernNamespace, ConcernAccess, ConcernOwners, ConcernPullSecrets,
		ConcernGateway, ConcernQuota, ConcernNetworkPolicy} {
		out = append(out, f.Findings[c]...)
	}
	return out
}

// ForeignObject is an object install would write that another manager owns.
type ForeignObject struct {
	Object ObjectRef      `json:"object"`
	Owner  headlamp.Owner `json:"owner"`
	ref    ref
}

// preflight reads the cluster once for install and its pre-install checks.
type preflight struct {
	c        Clients
	cs       kubernetes.Interface
	opts     Options
	findings map[Concern][]Problem
	foreign  []ForeignObject
	live     map[ref]metav1.Object
	// proxy is capsule-proxy's Service, when it could be read.
	proxy *corev1.Service
}

// look records that concern c was looked at, with no problem so far.
func (p *preflight) look(c Concern) {
	if _, ok := p.findings[c]; !ok {
		p.findings[c] = nil
	}
}

func (p *preflight) add(c Concern, what, hint string, args ...any) {
	p.findings[c] = append(p.findings[c], Problem{What: fmt.Sprintf(what, args...), Hint: hint})
}

// Preflight reads, before any write, what install needs and what the pre-install checks judge: the
// namespace, capsule-proxy's Service and CA, the pull Secrets, the Gateway API and the Gateway, the
// namespace's LimitRanges and ResourceQuotas, the IdP's addresses for the NetworkPolicy, the user's
// permissions and who owns the objects. Problems are Findings, not errors: the error is for a
// cluster that cannot be asked at all.
func Preflight(ctx context.Context, c Clients, opts Options) (Facts, error) {
	cs := c.Kube
	p := &preflight{c: c, cs: cs, opts: opts, findings: map[Concern][]Problem{}, live: map[ref]metav1.Object{}}
	s := opts.Settings
	p.look(ConcernNamespace)
	ns, err := cs.CoreV1().Namespaces().Get(ctx, s.Namespace, metav1.GetOptions{})
	if err != nil {
		if !kube.Answered(err) {
			return Facts{}, kube.Reach(err)
		}
		p.findings[ConcernNamespace] = append(p.findings[ConcernNamespace],
			readProblem(err, "namespace "+s.Namespace, "create it, or choose another with -n"))
	}
	p.readProxyService(ctx)
	facts := p.readProxyCA(ctx)
	if err == nil {
		facts.NetworkPolicy = p.checkProduction(ctx, ns.Labels)
	}
	p.checkOwners(ctx)
	p.checkAccess(ctx)
	if err := ctx.Err(); err != nil {
		return Facts{}, err
	}
	facts.Foreign, facts.Findings, facts.live = p.foreign, p.findings, p.live
	return facts, nil
}

// readProxyService reads capsule-proxy's Service for the NetworkPolicy; doctor's proxy checks judge it.
func (p *preflight) readProxyService(ctx context.Context) {
	px := p.opts.Settings.Proxy
	svc, err := p.cs.CoreV1().Services(px.Namespace).Get(ctx, px.Service, metav1.GetOptions{})
	if err == nil {
		p.proxy = svc
	}
}

// checkOwners finds the objects another manager owns, and refuses to take them over unless told to.
func (p *preflight) checkOwners(ctx context.Context) {
	p.look(ConcernOwners)
	for _, obj := range objectNames(p.opts.Settings) {
		meta, err := obj.get(ctx, p.c, p.opts.Settings.Namespace)
		if apierrors.IsNotFound(err) {
			p.live[obj] = nil
		}
		if err != nil {
			if !apierrors.IsNotFound(err) && !apierrors.IsForbidden(err) {
				p.add(ConcernOwners, "read %s: %v", "", obj, err)
			}
			continue
		}
		p.live[obj] = meta
		owner := headlamp.OwnerOf(meta)
		if owner.Ours() {
			continue
		}
		p.foreign = append(p.foreign, ForeignObject{Object: obj.public(), Owner: owner, ref: obj})
		if p.opts.ForceConflicts {
			continue
		}
		p.add(ConcernOwners, "%s already exists and is %s", conflictHint(owner, p.opts.Settings.Namespace), obj, describeOwner(owner))
	}
}

func describeOwner(o headlamp.Owner) string {
	switch {
	case o.HelmRelease != "":
		return fmt.Sprintf("managed by Helm release %q", o.HelmRelease)
	case o.Manager != "":
		return fmt.Sprintf("managed by %s", o.Manager)
	}
	return "not managed by " + headlamp.ManagedBy
}

func conflictHint(o headlamp.Owner, namespace string) string {
	const force = "pass --force-conflicts to take it over (it is deleted and created anew with only our settings)"
	if o.HelmRelease != "" {
		ns := o.HelmNamespace
		if ns == "" {
			ns = namespace
		}
		return fmt.Sprintf("remove the release with `helm uninstall %s -n %s`, or %s", o.HelmRelease, ns, force)
	}
	return "delete it, or " + force
}
