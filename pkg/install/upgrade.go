package install

import (
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// keeper copies the installed value of one setting (or of a group of flags that set it together)
// into the options, for a setting no flag of the group was given for.
type keeper struct {
	flags []string
	keep  func(o *Options, cur *Current)
}

// keepers are the settings install reads back, named by the flags that set them.
var keepers = []keeper{
	{[]string{"oidc-issuer-url"}, func(o *Options, c *Current) { o.Settings.OIDC.IssuerURL = c.Settings.OIDC.IssuerURL }},
	{[]string{"oidc-client-id"}, func(o *Options, c *Current) { o.Settings.OIDC.ClientID = c.Settings.OIDC.ClientID }},
	{[]string{"oidc-scopes"}, func(o *Options, c *Current) { o.Settings.OIDC.Scopes = c.Settings.OIDC.Scopes }},
	{[]string{"oidc-callback-url"}, func(o *Options, c *Current) { o.Settings.OIDC.CallbackURL = c.Settings.OIDC.CallbackURL }},
	{[]string{"oidc-validator-client-id"}, func(o *Options, c *Current) {
		o.Settings.OIDC.ValidatorClientID = c.Settings.OIDC.ValidatorClientID
	}},
	{[]string{"oidc-validator-issuer-url"}, func(o *Options, c *Current) {
		o.Settings.OIDC.ValidatorIssuerURL = c.Settings.OIDC.ValidatorIssuerURL
	}},
	{[]string{"oidc-use-access-token"}, func(o *Options, c *Current) { o.Settings.OIDC.UseAccessToken = c.Settings.OIDC.UseAccessToken }},
	{[]string{"oidc-use-pkce"}, func(o *Options, c *Current) { o.Settings.OIDC.UsePKCE = c.Settings.OIDC.UsePKCE }},
	{[]string{"oidc-ca-file"}, keepIDPCA},
	{[]string{"oidc-ca-trust"}, func(o *Options, c *Current) {
		if ca, installed := o.Settings.OIDC.CA, c.Settings.OIDC.CA; ca != nil && installed != nil {
			o.Settings.OIDC.CA = headlamp.NewIDPCA(o.Settings.Name, installed.Trust)
		}
	}},
	{[]string{"image"}, func(o *Options, c *Current) { o.Settings.Image = c.Settings.Image }},
	{[]string{"image-pull-secret"}, func(o *Options, c *Current) { o.Settings.ImagePullSecrets = c.Settings.ImagePullSecrets }},
	{[]string{"base-url"}, func(o *Options, c *Current) { o.Settings.BaseURL = c.Settings.BaseURL }},
	{[]string{"ingress-host", "ingress-class", "ingress-tls-secret", "gateway", "gateway-host"}, func(o *Options, c *Current) {
		o.Settings.Ingress, o.Settings.Gateway = c.Settings.Ingress, c.Settings.Gateway
	}},
	{[]string{"network-policy"}, func(o *Options, c *Current) { o.Settings.NetworkPolicy = c.Settings.NetworkPolicy }},
	{[]string{"tenant-access"}, func(o *Options, c *Current) { o.Settings.TenantAccess = c.Settings.TenantAccess }},
	{[]string{"proxy-service"}, func(o *Options, c *Current) { o.Settings.Proxy.Service = c.Settings.Proxy.Service }},
	{[]string{"proxy-namespace"}, func(o *Options, c *Current) { o.Settings.Proxy.Namespace = c.Settings.Proxy.Namespace }},
	{[]string{"proxy-port"}, func(o *Options, c *Current) { o.Settings.Proxy.Port = c.Settings.Proxy.Port }},
	{[]string{"proxy-ca-secret"}, func(o *Options, c *Current) {
		if c.Settings.Proxy.Secret != "" {
			o.Settings.Proxy.Secret = c.Settings.Proxy.Secret
		}
	}},
	{[]string{"proxy-ca-key"}, func(o *Options, c *Current) {
		// The two keys install finds by itself are looked for again; another one was given.
		if k := c.Settings.Proxy.SecretKey; k != headlamp.CAKey && k != headlamp.ProxyCAKeyCertgen {
			o.ProxyCAKey = k
		}
	}},
	{[]string{"proxy-ca-bundle", "proxy-ca-bundle-key"}, func(o *Options, c *Current) { o.ProxyCABundle = c.ProxyCABundle }},
}

// KeepInstalled returns the options with every setting whose flags were not given (given reports
// whether a flag was on the command line) taken from the current installation, so that re-running
// install with one flag changes only that. Settings the installation does not have keep the
// options' defaults. The client secret is kept when none was given. cur may be nil (nothing
// installed): the options are returned as they are.
func KeepInstalled(opts Options, cur *Current, given func(flag string) bool) Options {
	if cur == nil {
		return opts
	}
	opts.Current = cur
	for _, k := range keepers {
		if !anyGiven(k.flags, given) {
			k.keep(&opts, cur)
		}
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = cur.ClientSecret
	}
	base := cur.Settings.Resources
	if base.Requests == nil && base.Limits == nil {
		base = headlamp.DefaultResources() // installed before install set resources
	}
	opts.Settings.Resources = base.Overlay(opts.ResourceFlags)
	return opts
}

func anyGiven(flags []string, given func(string) bool) bool {
	for _, f := range flags {
		if given(f) {
			return true
		}
	}
	return false
}

// keepIDPCA keeps the installed IdP CA and its PEM, with the trust the flags chose when given.
func keepIDPCA(o *Options, c *Current) {
	installed := c.Settings.OIDC.CA
	if installed == nil || len(c.IDPCA) == 0 {
		o.Settings.OIDC.CA, o.IDPCA = nil, nil
		return
	}
	trust := installed.Trust
	if o.Settings.OIDC.CA != nil {
		trust = o.Settings.OIDC.CA.Trust // --oidc-ca-trust given
	}
	o.Settings.OIDC.CA, o.IDPCA = headlamp.NewIDPCA(o.Settings.Name, trust), c.IDPCA
}
