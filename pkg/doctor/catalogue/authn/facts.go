package authn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts read from the running API server.
const (
	factAPIServerPods engine.Key[[]apiserverFlags] = "apiserver-pods"
	factMetrics       engine.Key[authnMetrics]     = "apiserver-metrics"
)

// apiserverFlags are the authentication flags of one kube-apiserver mirror pod.
type apiserverFlags struct {
	Pod            string
	AuthConfig     string // --authentication-config
	OIDCClientID   string // legacy --oidc-client-id
	OIDCIssuerURL  string // legacy --oidc-issuer-url
	LegacyOIDCUsed bool
}

// authnMetrics is what /metrics shows of the JWT authenticators and the configuration file.
type authnMetrics struct {
	// IssuerResults maps jwt_issuer_hash to the results of its JWKS fetches ("success", "failure").
	IssuerResults map[string][]string
	// ConfigHashes are the hash labels of ..._last_config_info (the loaded file's sha256).
	ConfigHashes []string
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
		engine.Define(factMetrics, nil, func(ctx context.Context, _ engine.Facts) (authnMetrics, error) {
			rc := env.Kube.Discovery().RESTClient()
			if rc == nil {
				return authnMetrics{}, errors.New("no REST client to read /metrics with")
			}
			data, err := rc.Get().AbsPath("/metrics").DoRaw(ctx)
			if err != nil {
				return authnMetrics{}, area.WrapAccess(area.Access{Verb: "get", NonResourceURL: "/metrics"}, err)
			}
			return parseAuthnMetrics(data)
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

// The /metrics series doctor reads.
const (
	jwksFetchSeries    = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds"
	jwtSeriesPrefix    = "apiserver_authentication_jwt_authenticator_"
	configLoadedSeries = "apiserver_authentication_config_controller_last_config_info"
)

// parseAuthnMetrics reads the API server's /metrics with Prometheus' own text parser; only the labels
// of the JWT authenticator and configuration series are kept.
func parseAuthnMetrics(data []byte) (authnMetrics, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
	if err != nil {
		return authnMetrics{}, fmt.Errorf("parse /metrics: %w", err)
	}
	m := authnMetrics{IssuerResults: map[string][]string{}}
	for name, family := range families {
		for _, sample := range family.GetMetric() {
			labels := map[string]string{}
			for _, l := range sample.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch h := labels["jwt_issuer_hash"]; {
			case name == jwksFetchSeries:
				m.IssuerResults[h] = append(m.IssuerResults[h], labels["result"])
			case strings.HasPrefix(name, jwtSeriesPrefix) && h != "":
				if _, ok := m.IssuerResults[h]; !ok {
					m.IssuerResults[h] = nil
				}
			case name == configLoadedSeries && labels["hash"] != "":
				m.ConfigHashes = append(m.ConfigHashes, labels["hash"])
			}
		}
	}
	return m, nil
}
