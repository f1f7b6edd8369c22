package login

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// reach decides how the browser gets to Headlamp: the URL the user gave, else an Ingress to the
// Service, else an HTTPRoute to it, else a port-forward from the local port to a ready pod.
func reach(ctx context.Context, o Options, env Env, in *Installation, st *status) (*reached, error) {
	s := in.Settings
	if o.URL != "" {
		site := strings.TrimSuffix(o.URL, "/")
		path := o.Path
		if path == "" && !in.located() {
			// Settings unknown: tenants sign in with OIDC, on the chart's cluster name.
			path = "/oidc?cluster=" + defaultCluster
		}
		return &reached{session: &Session{HeadlampURL: site, URL: DeepLink(site, path, s), ReachedBy: ByURL}}, nil
	}
	eps, err := headlamp.Endpoints(ctx, env.Client, env.Dynamic, in.Service)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if len(eps) == 0 {
		if err != nil {
			st.warn("%v; using a port-forward", err)
		}
		return portForward(ctx, o, env, in, st)
	}
	ep := eps[0]
	if err != nil {
		st.warn("%v; using %s %s", err, strings.ToLower(ep.Kind), ep.Name)
	}
	if ep.SchemeAssumed != "" {
		st.printf("%s", ep.SchemeAssumed)
	}
	site := headlamp.SiteURL(ep.Origin, s)
	sess := &Session{HeadlampURL: site, URL: DeepLink(site, o.Path, s), ReachedBy: ByIngress, Ingress: ep.Name}
	if ep.Kind == headlamp.KindHTTPRoute {
		sess.ReachedBy, sess.Ingress, sess.HTTPRoute = ByHTTPRoute, "", ep.Name
	}
	return &reached{session: sess}, nil
}

// portForward listens on the local port and connects to a ready pod behind the Service, so that a
// busy port, a missing pod or a missing permission are reported before anything is printed.
func portForward(ctx context.Context, o Options, env Env, in *Installation, st *status) (*reached, error) {
	listeners, err := kube.ListenLocal(ctx, o.Port)
	if err != nil {
		return nil, err
	}
	r := &reached{listeners: listeners}
	r.forwarder = kube.NewForwarder(ctx, kube.ForwardOptions{
		Pods: kube.ServicePods{
			Client: env.Client, Namespace: in.Service.Namespace, Service: in.Service.Name, ServicePort: servicePort(in),
		},
		Dialer: env.Dialer,
		Notify: st.event,
	})
	pod, err := r.forwarder.Connect(ctx)
	if err != nil {
		r.close()
		return nil, err
	}
	// The port actually bound: the one asked for, or a free one for port 0.
	port := listeners[0].Addr().(*net.TCPAddr).Port
	site := headlamp.SiteURL("http://localhost:"+strconv.Itoa(port), in.Settings)
	r.session = &Session{
		HeadlampURL: site, URL: DeepLink(site, o.Path, in.Settings), ReachedBy: ByPortForward,
		Pod: pod.Name, LocalPort: port,
	}
	return r, nil
}

// servicePort is the Service port to forward: the one named http (the chart's and ours), else the first.
func servicePort(in *Installation) int32 {
	for _, p := range in.Service.Spec.Ports {
		if p.Name == "http" {
			return p.Port
		}
	}
	return 0
}

// checkRedirect asks the IdP whether it accepts the redirect URI Headlamp will send. A refusal stops
// login unless Force; a check that could not be made is a warning.
func checkRedirect(ctx context.Context, o Options, env Env, in *Installation, sess *Session, st *status) error {
	if !redirectCheckable(o, in, st) {
		return nil
	}
	conf := in.Settings.OIDC
	uri, err := headlamp.RedirectURI(sess.HeadlampURL, in.Settings)
	if err != nil {
		return err
	}
	sess.RedirectURI = uri
	newClient := env.IDPClient
	if newClient == nil {
		newClient = IDPClient
	}
	client, err := newClient(in.IDPCA, in.Settings.InsecureSSL || conf.SkipTLSVerify)
	if err != nil {
		return fmt.Errorf("prepare the IdP check: %w", err)
	}
	// Login stays running for long: keep no idle connection to the IdP open meanwhile.
	defer client.CloseIdleConnections()
	v := oidc.CheckRedirectURI(ctx, client, conf.IssuerURL, conf.ClientID, uri)
	if err := ctx.Err(); err != nil {
		return err
	}
	if v.Checked {
		sess.RedirectURIAccepted = &v.Accepted
	}
	return st.verdict(v, uri, conf.ClientID, conf.IssuerURL, o.Force)
}

// signInPath reports whether path (the --path given, "" for the default) is the OIDC sign-in deep
// link, the only page that sends the browser to the IdP with Headlamp's redirect URI.
func signInPath(path string) bool {
	return path == "" || path == "/oidc" || strings.HasPrefix(path, "/oidc?")
}

// redirectCheckable tells whether the redirect URI can and need be checked, and says why not.
func redirectCheckable(o Options, in *Installation, st *status) bool {
	switch {
	case !in.located():
		return false // lookup said so
	case !signInPath(o.Path):
		st.printf("--path %s is not the OIDC sign-in: the redirect URI is not checked", o.Path)
		return false
	}
	switch configured, known := OIDCSignIn(in.Settings); {
	case !known:
		st.warn("cannot read Headlamp's OIDC settings (%s): the redirect URI is not checked",
			unreadable(in.Unresolved, in.Deployment.Namespace))
		return false
	case !configured:
		st.warn("Headlamp has no OIDC sign-in configured (client id, issuer and scopes): opening its token sign-in page")
		return false
	}
	return true
}
