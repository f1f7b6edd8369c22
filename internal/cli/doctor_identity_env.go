package cli

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/version"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// identityEnv builds the identity checks' inputs. What Headlamp and the API server expect of the IdP,
// and the way to capsule-proxy, are derived by the doctor from the facts it reads; here only what the
// command line says: the token source, --oidc-client-secret-file, --oidc-ca-file and --proxy-address.
// browser is the launcher for --browser.
func (o *identityOptions) identityEnv(root *rootOptions, cfg *rest.Config, browser oidc.Opener) (identity.Env, error) {
	pt, err := o.pluginTrust()
	if err != nil {
		return identity.Env{}, err
	}
	var secret oidc.Secret
	if o.clientSecretFile != "" {
		if secret, err = readCredential("--oidc-client-secret-file", o.clientSecretFile, root.streams.In, "the client secret"); err != nil {
			return identity.Env{}, err
		}
	}
	sio := identityIO{in: root.streams.In, errOut: root.streams.ErrOut, prompt: terminalPrompt(root.streams.In, root.streams.ErrOut), browser: browser}
	return identity.Env{
		ClientSecret: secret,
		PluginTrust:  pt,
		TokenSource:  o.tokenSource(sio),
		TokenFromIDP: o.tokenFromIDP(),
		Cluster:      &identity.KubeCluster{Base: cfg},
		ProxyAddress: o.proxyAddress,
	}, nil
}

// writeIdentityBundle collects and writes --bundle after a run: the report (with the redacted claims
// and the IdP's certificate summaries its checks found) and the cluster side, read with the kubeconfig.
// Collecting is bounded by timeout (--timeout): against a hung API server it would wait for ever.
func (o *identityOptions) writeIdentityBundle(ctx context.Context, timeout time.Duration, root *rootOptions, c doctor.Config, rep engine.Report) error {
	if o.bundle == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := doctor.Bundle(ctx, c, rep, map[string]string{"plugin": version.Get().Version})
	if err := writeBundleFile(o.bundle, b, o.forceBundle); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(root.streams.ErrOut, "Support bundle written to %s (no token, secret or key inside; review before sharing)\n", o.bundle)
	return nil
}
