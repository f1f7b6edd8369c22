package cli

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// validate turns the flags into install.Options without touching files or the cluster, and names the
// flag of every value it refuses.
func (o *installOptions) validate() error {
	f := &o.flags
	var errs []error
	bad := func(flag string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s %w", flag, err))
		}
	}
	s := headlamp.New(o.root.namespace())
	bad("namespace", dnsLabel(s.Namespace))
	if f.issuerURL != "" || o.flags.helmValues {
		// Else it may be kept from the installed Headlamp: required() says when it is missing.
		bad("oidc-issuer-url", headlamp.CheckIssuerURL(f.issuerURL))
	}
	s.OIDC.IssuerURL = f.issuerURL
	bad("oidc-client-id", nonEmpty(f.clientID))
	s.OIDC.ClientID = f.clientID
	scopes, err := headlamp.ParseScopes(f.scopes)
	bad("oidc-scopes", err)
	s.OIDC.Scopes = scopes
	if f.callbackURL != "" {
		bad("oidc-callback-url", headlamp.CheckCallbackURL(f.callbackURL))
	}
	if f.validatorIssuerURL != "" {
		bad("oidc-validator-issuer-url", headlamp.CheckIssuerURL(f.validatorIssuerURL))
	}
	s.OIDC.CallbackURL, s.OIDC.ValidatorClientID, s.OIDC.ValidatorIssuerURL = f.callbackURL, f.validatorClientID, f.validatorIssuerURL
	s.OIDC.UseAccessToken, s.OIDC.UsePKCE = f.useAccessToken, f.usePKCE
	bad("oidc-ca-trust", o.idpCA(&s))
	bad("base-url", headlamp.CheckBaseURL(f.baseURL))
	s.BaseURL = f.baseURL
	s.Image = f.image
	errs = append(errs, o.production(&s)...)
	errs = append(errs, o.proxy(&s)...)
	errs = append(errs, o.ingress(&s)...)
	errs = append(errs, o.modes()...)
	if err := errors.Join(errs...); err != nil {
		return usageErrorf("%w", err)
	}
	o.input.Settings = s
	return nil
}

// required checks, once the installed settings are kept, what neither the flags nor the installed
// Headlamp gave: a usage error naming the flag.
func (o *installOptions) required() error {
	s := o.input.Settings
	var errs []error
	if s.OIDC.IssuerURL == "" {
		errs = append(errs, errors.New("--oidc-issuer-url is required to install Headlamp (none is installed in namespace "+s.Namespace+")"))
	}
	if s.OIDC.CA != nil && len(o.input.IDPCA) == 0 && o.input.IDPCAErr == nil {
		errs = append(errs, errors.New("--oidc-ca-trust needs --oidc-ca-file: no IdP CA is installed"))
	}
	if err := errors.Join(errs...); err != nil {
		return usageErrorf("%w", err)
	}
	return nil
}

func (o *installOptions) idpCA(s *headlamp.Settings) error {
	f := &o.flags
	trust := map[string]headlamp.Trust{"append": headlamp.TrustAppend, "only": headlamp.TrustReplace}[f.caTrust]
	switch {
	case trust == "":
		return fmt.Errorf("%q: use append or only", f.caTrust)
	case f.caFile == "" && !o.given("oidc-ca-trust"):
		return nil
	}
	// Given alone, --oidc-ca-trust applies to the installed CA; required() says when there is none.
	s.OIDC.CA = headlamp.NewIDPCA(s.Name, trust)
	return nil
}

func (o *installOptions) proxy(s *headlamp.Settings) []error {
	f := &o.flags
	var errs []error
	for _, n := range []struct{ flag, v string }{{"proxy-service", f.proxyService}, {"proxy-namespace", f.proxyNamespace}} {
		if err := dnsLabel(n.v); err != nil {
			errs = append(errs, fmt.Errorf("--%s %w", n.flag, err))
		}
	}
	if err := dnsSubdomain(f.proxyCASecret); err != nil {
		errs = append(errs, fmt.Errorf("--proxy-ca-secret %w", err))
	}
	if f.proxyPort < 1 || f.proxyPort > 65535 {
		errs = append(errs, fmt.Errorf("--proxy-port %d is not a port number", f.proxyPort))
	}
	s.Proxy.Service, s.Proxy.Namespace, s.Proxy.Port, s.Proxy.Secret = f.proxyService, f.proxyNamespace, f.proxyPort, f.proxyCASecret
	o.input.ProxyCAKey = f.proxyCAKey
	if f.proxyCABundle != "" {
		if err := dnsSubdomain(f.proxyCABundle); err != nil {
			errs = append(errs, fmt.Errorf("--proxy-ca-bundle %w", err))
		}
		o.input.ProxyCABundle = &headlamp.KeyRef{Kind: headlamp.KindConfigMap, Name: f.proxyCABundle, Key: f.proxyCABundleKey}
	}
	return errs
}

func (o *installOptions) ingress(s *headlamp.Settings) []error {
	f := &o.flags
	if f.ingressHost == "" {
		if f.ingressClass != "" || f.ingressTLSSecret != "" {
			return []error{errors.New("--ingress-class and --ingress-tls-secret need --ingress-host")}
		}
		return nil
	}
	var errs []error
	if err := dnsSubdomain(f.ingressHost); err != nil {
		errs = append(errs, fmt.Errorf("--ingress-host %w", err))
	}
	s.Ingress = &headlamp.Ingress{Host: f.ingressHost, ClassName: f.ingressClass, TLSSecret: f.ingressTLSSecret}
	return errs
}

// modes checks the flags that choose what the command does.
func (o *installOptions) modes() []error {
	f := &o.flags
	var errs []error
	dry, err := install.ParseDryRun(f.dryRun)
	if err != nil {
		errs = append(errs, fmt.Errorf("--dry-run: %w", err))
	}
	format, err := output.Parse(f.output, output.Text, output.JSON, output.YAML)
	if err != nil {
		errs = append(errs, fmt.Errorf("--output: %w", err))
	}
	if f.helmValues && format != output.Text {
		errs = append(errs, errors.New("--helm-values prints a values file: it does not go with --output"))
	}
	if f.helmValues && dry == install.DryRunServer {
		errs = append(errs, errors.New("--helm-values prints a values file and sends nothing to the API server: "+
			"it does not go with --dry-run=server (check the values with `helm install --dry-run=server` instead)"))
	}
	if f.wait && f.timeout <= 0 {
		errs = append(errs, fmt.Errorf("--timeout %s must be positive", f.timeout))
	}
	o.format = format
	o.input.DryRun, o.input.ForceConflicts, o.input.Wait, o.input.Timeout = dry, f.forceConflicts, f.wait, f.timeout
	o.input.Force = f.force
	return errs
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func dnsLabel(v string) error {
	if msgs := validation.IsDNS1123Label(v); len(msgs) > 0 {
		return fmt.Errorf("%q is not a valid name: %s", v, msgs[0])
	}
	return nil
}

func dnsSubdomain(v string) error {
	if msgs := validation.IsDNS1123Subdomain(v); len(msgs) > 0 {
		return fmt.Errorf("%q is not a valid name: %s", v, msgs[0])
	}
	return nil
}
