// Package network is the area of doctor's catalogue that judges the NetworkPolicies around Headlamp:
// do they let its pods reach capsule-proxy's pods, the IdP and the cluster DNS? It reads the policies
// of the namespaces involved and judges each connection with pkg/netpol, the one evaluator of
// NetworkPolicy semantics; a blocked connection names the policies that block it and the hop.
package network

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/netpol"
)

// Category groups the network policy checks.
const Category = "Network policies"

// The network policy checks.
const (
	IDProxy engine.ID = "NETPOL-PROXY"
	IDIdP   engine.ID = "NETPOL-IDP"
	IDDNS   engine.ID = "NETPOL-DNS"
)

// The hops the checks judge, as messages name them.
const (
	hopProxy = "Headlamp → capsule-proxy"
	hopIDP   = "Headlamp → IdP"
	hopDNS   = "Headlamp → DNS"
)

const explainRules = " Judged by the documented semantics: a policy isolates the pods it selects for the directions in " +
	"policyTypes, the rules of all isolating policies add up, and a connection needs the source's egress and the " +
	"destination pod's ingress. Policies of other APIs (Cilium's, Calico's) are not read."

// Checks are the network policy checks, in catalogue order.
func Checks() []engine.Check {
	return []engine.Check{
		{
			ID: IDProxy, Title: "NetworkPolicies let Headlamp reach capsule-proxy", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{hlcheck.IDFound, proxy.IDService},
			Needs:     []engine.FactName{FactPolicies.Name(), FactHeadlampPod.Name(), FactProxy.Name()},
			Hint: "kubectl -n <namespace> get networkpolicy -o yaml: add an egress rule to capsule-proxy's pods on its pod port " +
				"(and an ingress rule on theirs), or reinstall with `kubectl capsule-headlamp install --network-policy`",
			Explain: "Every API request Headlamp makes goes to capsule-proxy's pods (after the Service's translation, on the pod port); " +
				"a policy that drops it shows tenants an empty cluster or a timeout." + explainRules,
			Run: func(_ context.Context, f engine.Facts) engine.Result {
				ts, err := FactProxy.Get(f)
				if err == nil && len(ts) == 0 {
					return engine.Unknown("no ready capsule-proxy pod to judge the policies against")
				}
				return judge(f, hopProxy, ts, err)
			},
		},
		{
			ID: IDIdP, Title: "NetworkPolicies let Headlamp reach the IdP", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{hlcheck.IDOIDC},
			Needs:     []engine.FactName{FactPolicies.Name(), FactHeadlampPod.Name(), FactIDP.Name()},
			Hint: "kubectl -n <namespace> get networkpolicy -o yaml: add an egress rule with an ipBlock for the IdP's addresses " +
				"and its port, or reinstall with `kubectl capsule-headlamp install --network-policy`",
			Explain: "Headlamp fetches the IdP's discovery document and keys and exchanges codes for tokens from its pod. " +
				"The issuer's host is resolved where doctor runs: an IdP whose name resolves otherwise inside the cluster " +
				"(split DNS, a CDN) is judged at the addresses seen here." + explainRules,
			Run: func(_ context.Context, f engine.Facts) engine.Result {
				ts, err := FactIDP.Get(f)
				return judge(f, hopIDP, ts, err)
			},
		},
		{
			ID: IDDNS, Title: "NetworkPolicies let Headlamp reach the cluster DNS", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{hlcheck.IDFound},
			Needs:     []engine.FactName{FactPolicies.Name(), FactHeadlampPod.Name(), FactDNS.Name()},
			Hint: "kubectl -n <namespace> get networkpolicy -o yaml: add an egress rule to the DNS pods (namespace kube-system, " +
				"k8s-app=kube-dns) on UDP and TCP 53, or reinstall with `kubectl capsule-headlamp install --network-policy`",
			Explain: "Headlamp resolves capsule-proxy's Service name and the IdP's host through the cluster DNS, on UDP port 53 " +
				"of its pods (k8s-app=kube-dns in kube-system, for kube-dns and CoreDNS)." + explainRules,
			Run: func(_ context.Context, f engine.Facts) engine.Result {
				t, err := FactDNS.Get(f)
				return judge(f, hopDNS, []Target{t}, err)
			},
		},
	}
}

// judge evaluates Headlamp's connection to each target; the first blocked one fails the check.
func judge(f engine.Facts, hop string, targets []Target, err error) engine.Result {
	pols, perr := FactPolicies.Get(f)
	from, ferr := FactHeadlampPod.Get(f)
	if err := errors.Join(err, perr, ferr); err != nil {
		return area.CouldNotLook(err)
	}
	var allowedBy, notes []string
	for _, t := range targets {
		c := netpol.Conn{From: netpol.Endpoint{Pod: &from}, To: t.To, Protocol: t.Protocol, Port: t.Port, PortName: t.PortName}
		v, err := netpol.Evaluate(pols.List, c)
		if err != nil {
			return engine.Unknown("cannot judge the policies: %v", err).With("hop", hop)
		}
		if !v.Allowed {
			return blocked(v, t, hop)
		}
		allowedBy = appendNew(allowedBy, v.Policies...)
		if t.Assumed != "" {
			notes = append(notes, t.Assumed)
		}
		if t.To.Pod != nil && pols.Unread[t.To.Pod.Namespace] != nil {
			notes = append(notes, fmt.Sprintf("ingress not judged: %v", pols.Unread[t.To.Pod.Namespace]))
		}
	}
	r := engine.Pass("no NetworkPolicy isolates Headlamp's pods or the destination (%s)", hop)
	if len(allowedBy) > 0 {
		r = engine.Pass("allowed by %s (%s)", policyNames(allowedBy), hop).With("allowedBy", allowedBy)
	}
	if len(notes) > 0 {
		r = r.With("notes", notes)
	}
	return r.With("hop", hop)
}

// blocked says which side of the connection to t is isolated without a rule that allows it.
func blocked(v netpol.Verdict, t Target, hop string) engine.Result {
	port := fmt.Sprintf("%s %d", t.Protocol, t.Port)
	var r engine.Result
	if v.Blocked == netpol.Egress {
		r = engine.Problem("%s: %s isolate%s Headlamp's pods for egress and no rule lets them reach %s on %s",
			hop, policyNames(v.Policies), plural(v.Policies), t.Name, port)
	} else {
		r = engine.Problem("%s: %s isolate%s %s for ingress and no rule lets Headlamp's pods in on %s",
			hop, policyNames(v.Policies), plural(v.Policies), t.Name, port)
	}
	r = r.With("hop", hop).With("blockedBy", v.Policies).With("direction", string(v.Blocked))
	if t.Assumed != "" {
		r = r.With("notes", []string{t.Assumed})
	}
	return r
}

func policyNames(names []string) string {
	if len(names) == 1 {
		return "NetworkPolicy " + names[0]
	}
	return "NetworkPolicies " + strings.Join(names, ", ")
}

// plural is the verb ending for one policy ("isolates") or several ("isolate").
func plural(names []string) string {
	if len(names) == 1 {
		return "s"
	}
	return ""
}

func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		if !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
}
