package authn

import (
	"context"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts read from the running API server.
const (
	factAPIServerPods engine.Key[[]apiserverFlags] = "apiserver-pods"
	// FactMetrics is the JWT state the API server shows in /metrics, with the cluster's API servers.
	FactMetrics engine.Key[Metrics] = "apiserver-metrics"
)

// apiserverFlags are the authentication flags of one kube-apiserver mirror pod.
type apiserverFlags struct {
	Pod            string
	AuthConfig     string // --authentication-config
	OIDCClientID   string // legacy --oidc-client-id
	OIDCIssuerURL  string // legacy --oidc-issuer-url
	LegacyOIDCUsed bool
}

// Facts are what the running API server shows: its mirror pods' flags and /metrics, read with env.
func Facts(env area.Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(factAPIServerPods, nil, func(ctx context.Context, _ engine.Facts) ([]apiserverFlags, error) {
			list, err := env.Kube.CoreV1().Pods("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "component=kube-apiserver"})
			if err != nil {
				return nil, area.WrapAccess(area.Access{Verb: "list", Resource: "pods", Namespace: "kube-system"}, err)
			}
			var out []apiserverFlags
			for _, p := range list.Items {
				for _, c := range p.Spec.Containers {
					out = append(out, readAPIServerFlags(p.Name, append(c.Command, c.Args...)))
				}
			}
			return out, nil
		}),
		engine.Define(FactMetrics, nil, func(ctx context.Context, in engine.Facts) (Metrics, error) {
			return readMetrics(ctx, env, in.Now())
		}),
	}
}

func readAPIServerFlags(pod string, argv []string) apiserverFlags {
	f := apiserverFlags{Pod: pod}
	for i, a := range argv {
		name, value, ok := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !ok && i+1 < len(argv) && strings.HasPrefix(a, "--") {
			value = argv[i+1]
		}
		switch name {
		case "authentication-config":
			f.AuthConfig = value
		case "oidc-client-id":
			f.OIDCClientID, f.LegacyOIDCUsed = value, true
		case "oidc-issuer-url":
			f.OIDCIssuerURL, f.LegacyOIDCUsed = value, true
		}
	}
	return f
}
