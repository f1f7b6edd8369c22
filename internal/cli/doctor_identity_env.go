package cli

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/version"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// proxyRef names capsule-proxy's Service and certificate Secret (the chart's defaults).
const (
	proxyName       = "capsule-proxy"
	proxyServerName = "capsule-proxy.capsule-system.svc"
)

// identityEnv builds the identity checks' environment. expect reads what Headlamp (and the API
// server's --authentication-config) expect, through the doctor's Headlamp model; browser is the
// launcher seam of pkg/browser (nil until it lands).
func (o *identityOptions) identityEnv(root *rootOptions, expect func(context.Context) (doctor.IdPExpectation, error), browser oidc.Opener) (doctor.IdentityEnv, error) {
	pt, err := o.pluginTrust()
	if err != nil {
		return doctor.IdentityEnv{}, err
	}
	cfg, err := root.kube.ToRESTConfig()
	if err != nil {
		return doctor.IdentityEnv{}, fmt.Errorf("load kubeconfig: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return doctor.IdentityEnv{}, fmt.Errorf("create Kubernetes client: %w", err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return doctor.IdentityEnv{}, fmt.Errorf("create Kubernetes client: %w", err)
	}
	cluster := &doctor.KubeIdentity{Base: cfg, Dynamic: dyn}
	if o.proxyAddress != "" {
		cluster.Proxy = &doctor.ProxyEndpoint{Address: o.proxyAddress, ServerName: proxyServerName}
	}
	sio := identityIO{in: root.streams.In, errOut: root.streams.ErrOut, prompt: terminalPrompt(root.streams.In, root.streams.ErrOut), browser: browser}
	return doctor.IdentityEnv{
		Expect: func(ctx context.Context) (doctor.IdPExpectation, error) {
			exp, err := expect(ctx)
			if err != nil {
				return exp, err
			}
			if cluster.Proxy != nil {
				cluster.Proxy.CAPEM = proxyCA(ctx, cs, root.namespace())
			}
			return o.withClientSecret(exp)
		},
		PluginTrust:  pt,
		TokenSource:  o.tokenSource(sio),
		TokenFromIdP: o.tokenFromIdP(),
		Cluster:      cluster,
	}, nil
}

// withClientSecret puts --oidc-client-secret-file in place of the secret read from the cluster.
func (o *identityOptions) withClientSecret(exp doctor.IdPExpectation) (doctor.IdPExpectation, error) {
	if o.clientSecretFile == "" {
		return exp, nil
	}
	s, err := readSecretFile(o.clientSecretFile, nil, "client secret")
	if err != nil {
		return exp, err
	}
	exp.ClientSecret = s
	return exp, nil
}

// proxyCA reads the CA of capsule-proxy's Secret (key ca.crt, or ca from the certgen job).
func proxyCA(ctx context.Context, cs kubernetes.Interface, ns string) []byte {
	s, err := cs.CoreV1().Secrets(ns).Get(ctx, proxyName, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	if ca := s.Data["ca.crt"]; len(ca) > 0 {
		return ca
	}
	return s.Data["ca"]
}

// writeIdentityBundle collects and writes --bundle after a run.
func (o *identityOptions) writeIdentityBundle(ctx context.Context, root *rootOptions, rep doctor.Report, claims any, idpChain *oidc.Discovery) error {
	if o.bundle == "" {
		return nil
	}
	cfg, err := root.kube.ToRESTConfig()
	if err != nil {
		return fmt.Errorf("load kubeconfig: %w", err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("create Kubernetes client: %w", err)
	}
	ns := root.namespace()
	b := doctor.Bundle{Report: rep, Claims: claims, Created: time.Now(), Versions: map[string]string{"plugin": version.Get().Version}}
	if idpChain != nil {
		b.AddCertificates("IdP chain", idpChain.PeerCertificates)
	}
	if v, err := kube.ServerVersion(ctx, cs); err == nil {
		b.Versions["kubernetes"] = v.GitVersion
	}
	doctor.CollectBundle(ctx, cs, doctor.BundleSources{
		Deployments: []doctor.ObjectRef{{Namespace: ns, Name: "headlamp"}, {Namespace: ns, Name: proxyName}},
		Services:    []doctor.ObjectRef{{Namespace: ns, Name: "headlamp"}, {Namespace: ns, Name: proxyName}},
		Namespaces:  []string{ns},
		ProxySecret: doctor.ObjectRef{Namespace: ns, Name: proxyName},
	}, &b)
	if err := writeBundleFile(o.bundle, b); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(root.streams.ErrOut, "Support bundle written to %s (no token, secret or key inside; review before sharing)\n", o.bundle)
	return nil
}
