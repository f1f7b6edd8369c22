package install

import (
	"context"
	"fmt"
	"strings"

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

// PreflightError lists every problem preflight found; nothing was written.
type PreflightError struct {
	Problems []Problem
}

func (e *PreflightError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "preflight found %d problem(s); nothing was changed:", len(e.Problems))
	writeProblems(&b, e.Problems)
	return b.String()
}

// writeProblems lists problems below an error's first line, each with its fix indented under it.
func writeProblems(b *strings.Builder, problems []Problem) {
	for _, p := range problems {
		fmt.Fprintf(b, "\n  - %s", p.What)
		if p.Hint != "" {
			fmt.Fprintf(b, "\n    %s", p.Hint)
		}
	}
}

// Facts are what preflight learned and install needs: capsule-proxy's CA, what the NetworkPolicy lets
// through, and the objects another manager owns that --force-conflicts takes over.
type Facts struct {
	ProxyCA    []byte
	ProxyCAKey string
	// NetworkPolicy is set when the settings ask for one.
	NetworkPolicy *headlamp.NetworkPolicy
	// Foreign are the objects of the installation that exist and are not ours; preflight lets them
	// through only with ForceConflicts.
	Foreign []ForeignObject
	// live are the objects of the installation as preflight read them, nil for one it did not find:
	// install's snapshot before it writes, without reading them again.
	live map[ref]metav1.Object
}

// ForeignObject is an object install would write that another manager owns.
type ForeignObject struct {
	Object ObjectRef      `json:"object"`
	Owner  headlamp.Owner `json:"owner"`
	ref    ref
}

// preflight collects problems instead of stopping at the first, so one run shows everything to fix.
type preflight struct {
	c        Clients
	cs       kubernetes.Interface
	opts     Options
	problems []Problem
	foreign  []ForeignObject
	live     map[ref]metav1.Object
	// proxy is capsule-proxy's Service, when it could be read.
	proxy *corev1.Service
}

func (p *preflight) add(what, hint string, args ...any) {
	p.problems = append(p.problems, Problem{What: fmt.Sprintf(what, args...), Hint: hint})
}

// Preflight checks, before any write, that install can succeed: the namespace exists, capsule-proxy's
// Service and Secret exist and the Secret's CA verifies its certificate, the pull Secrets exist, the
// Gateway API and the Gateway do, the namespace's LimitRanges and ResourceQuotas admit the pod, the
// IdP's host resolves for the NetworkPolicy, the user may write every object, and no other manager
// owns them. It returns a *PreflightError listing all problems, or another error when the cluster
// cannot be asked at all.
func Preflight(ctx context.Context, c Clients, opts Options) (Facts, error) {
	cs := c.Kube
	p := &preflight{c: c, cs: cs, opts: opts, live: map[ref]metav1.Object{}}
	s := opts.Settings
	ns, err := cs.CoreV1().Namespaces().Get(ctx, s.Namespace, metav1.GetOptions{})
	if err != nil {
		if !kube.Answered(err) {
			return Facts{}, kube.Reach(err)
		}
		p.apiProblem(err, "namespace "+s.Namespace, "create it, or choose another with -n")
	}
	p.checkProxyService(ctx)
	facts := p.checkProxySecret(ctx)
	if err == nil {
		facts.NetworkPolicy = p.checkProduction(ctx, ns.Labels)
	}
	p.checkOwners(ctx)
	p.checkAccess(ctx)
	if err := ctx.Err(); err != nil {
		return Facts{}, err
	}
	if len(p.problems) > 0 {
		return Facts{}, &PreflightError{Problems: p.problems}
	}
	facts.Foreign, facts.live = p.foreign, p.live
	return facts, nil
}

// apiProblem turns a failed read into a problem: not found gets the hint, anything else says why.
func (p *preflight) apiProblem(err error, what, hint string) {
	p.problems = append(p.problems, readProblem(err, what, hint))
}

func (p *preflight) checkProxyService(ctx context.Context) {
	px := p.opts.Settings.Proxy
	svc, err := p.cs.CoreV1().Services(px.Namespace).Get(ctx, px.Service, metav1.GetOptions{})
	p.proxy = svc
	if err != nil {
		p.proxy = nil
		p.apiProblem(err, fmt.Sprintf("capsule-proxy service %s/%s", px.Namespace, px.Service),
			"install capsule-proxy first, or point at it with --proxy-service and --proxy-namespace")
		return
	}
	for _, port := range svc.Spec.Ports {
		if port.Port == px.Port {
			return
		}
	}
	p.add("service %s/%s has no port %d", "set --proxy-port to the port capsule-proxy's service exposes",
		px.Namespace, px.Service, px.Port)
}

// checkOwners finds the objects another manager owns, and refuses to take them over unless told to.
func (p *preflight) checkOwners(ctx context.Context) {
	for _, obj := range objectNames(p.opts.Settings) {
		meta, err := obj.get(ctx, p.c, p.opts.Settings.Namespace)
		if apierrors.IsNotFound(err) {
			p.live[obj] = nil
		}
		if err != nil {
			if !apierrors.IsNotFound(err) && !apierrors.IsForbidden(err) {
				p.add("read %s: %v", "", obj, err)
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
		p.add("%s already exists and is %s", conflictHint(owner, p.opts.Settings.Namespace), obj, describeOwner(owner))
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
