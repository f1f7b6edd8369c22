package login

import (
	"fmt"
	"io"
	"sync"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// status writes progress and warnings. The browser launcher and the forwarder report from their own
// goroutines, so lines are written one at a time.
type status struct {
	mu sync.Mutex
	w  io.Writer
	p  style.Palette
}

// printf writes one line. URLs read from the cluster (Headlamp's callback URL, its issuer) are
// shown without user info.
func (s *status) printf(format string, args ...any) {
	line := redact.URLs(fmt.Sprintf(format, args...))
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintln(s.w, line)
}

func (s *status) warn(format string, args ...any) {
	s.printf("%s %s", s.p.Yellow("warning:"), fmt.Sprintf(format, args...))
}

func (s *status) found(in *Installation) {
	by := "installed by hand"
	switch owner := headlamp.OwnerOf(in.Deployment); {
	case owner.Ours():
		by = "installed by kubectl capsule-headlamp"
	case owner.HelmRelease != "":
		by = "Helm release " + owner.HelmRelease
	case owner.Manager != "":
		by = "managed by " + owner.Manager
	}
	s.printf("Headlamp: deployment %s/%s, service %s (%s)", in.Deployment.Namespace, in.Deployment.Name, in.Service.Name, by)
}

// verdict reports the IdP's answer on the redirect URI; a refusal is an error unless force.
func (s *status) verdict(v oidc.RedirectVerdict, uri, clientID, issuer string, force bool) error {
	switch {
	case !v.Checked:
		s.warn("could not ask the IdP about redirect URI %s: %s", uri, v.Reason)
	case v.Accepted:
		s.printf("%s the IdP accepts redirect URI %s for client %s", s.p.Green("ok:"), uri, clientID)
	case force:
		s.warn("the IdP refuses redirect URI %s for client %s (HTTP %d: %s); continuing (--force)",
			uri, clientID, v.Status, v.Reason)
	default:
		return fmt.Errorf("%w %s for client %s (HTTP %d: %s): register %s as a redirect URI of client %s at %s, "+
			"or pass --force to open the browser anyway", ErrRedirectRefused, uri, clientID, v.Status, v.Reason,
			uri, clientID, issuer)
	}
	return nil
}

func (s *status) opened(url string, err error) {
	if err != nil {
		s.warn("could not open a browser (%v): open the URL yourself", err)
		return
	}
	s.printf("Opened %s in the browser", url)
}

func (s *status) forwarding(sess *Session) {
	s.printf("Forwarding 127.0.0.1:%d to pod %s; press Ctrl-C to stop", sess.LocalPort, sess.Pod)
}

// event reports what the forwarder does after the first connection.
func (s *status) event(ev kube.ForwardEvent) {
	switch ev.Kind {
	case kube.EventConnected:
		switch ev.Previous {
		case "":
		case ev.Pod.Name:
			s.printf("Reconnected to pod %s", ev.Pod.Name)
		default:
			s.printf("Pod %s replaced: now forwarding to pod %s", ev.Previous, ev.Pod.Name)
		}
	case kube.EventLost:
		s.warn("lost pod %s (%v); looking for a ready Headlamp pod", ev.Pod.Name, ev.Err)
	case kube.EventWaiting:
		s.warn("still no ready Headlamp pod to forward to: %v", ev.Err)
	case kube.EventForwardFailed:
		s.warn("could not forward a connection: %v", ev.Err)
	}
}
