package stack

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

func (s *Stack) readiness(name string) func(context.Context) error {
	switch name {
	case Etcd:
		return httpOK(http.DefaultClient, "http://"+addr(EtcdClientPort)+"/health")
	case Dex:
		c, err := oidcClient(s.layout)
		if err != nil {
			return func(context.Context) error { return err }
		}
		return httpOK(c, IssuerURL+"/.well-known/openid-configuration")
	case APIServer:
		return func(ctx context.Context) error {
			return s.kube.Discovery().RESTClient().Get().AbsPath("/readyz").Do(ctx).Error()
		}
	case ControllerMgr:
		return httpOK(insecureClient(), "https://"+addr(ControllerMgrPort)+"/healthz")
	case Scheduler:
		return httpOK(insecureClient(), "https://"+addr(SchedulerPort)+"/healthz")
	case Kwok:
		return s.nodeReady
	case Capsule:
		return httpOK(http.DefaultClient, "http://"+addr(CapsuleHealthPort)+"/healthz")
	}
	return func(context.Context) error { return fmt.Errorf("no readiness check for %s", name) }
}

// insecureClient probes the self-signed health endpoints of kcm and the scheduler: only liveness is
// checked there, never data.
func insecureClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // health probe of a self-signed local endpoint
	return &http.Client{Transport: tr, Timeout: 2 * time.Second}
}

func httpOK(c *http.Client, url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s answered %s", url, resp.Status)
		}
		return nil
	}
}

func (s *Stack) nodeReady(ctx context.Context) error {
	n, err := s.kube.CoreV1().Nodes().Get(ctx, FakeNodeName, metav1.GetOptions{})
	if err != nil {
		return err
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
			if slices.ContainsFunc(n.Spec.Taints, func(t corev1.Taint) bool { return t.Effect == corev1.TaintEffectNoSchedule }) {
				return errors.New("node ready but still tainted")
			}
			return nil
		}
	}
	return errors.New("node not ready yet")
}

// waitTokenAccepted polls until the API server accepts alice's ID token: its OIDC authenticator
// fetches Dex's keys asynchronously and /readyz does not wait for that.
func (s *Stack) waitTokenAccepted(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var last error
	for {
		if _, last = s.WhoAmI(ctx, Alice.Email, KubernetesClientID, APIServerURL); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the API server does not accept alice's token: %w (see %s)", last, s.layout.Log(APIServer))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// WhoAmI sends a SelfSubjectReview with user's fresh token (from clientID) to server (APIServerURL or
// ProxyURL) and returns the identity the cluster sees.
func (s *Stack) WhoAmI(ctx context.Context, user, clientID, server string) (authv1.UserInfo, error) {
	tok, err := s.Token(ctx, user, clientID, nil)
	if err != nil {
		return authv1.UserInfo{}, err
	}
	cs, err := s.TokenClient(server, tok)
	if err != nil {
		return authv1.UserInfo{}, err
	}
	r, err := cs.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return authv1.UserInfo{}, err
	}
	return r.Status.UserInfo, nil
}

// TokenClient is a clientset sending token as bearer to server (APIServerURL or ProxyURL), trusting
// the matching CA.
func (s *Stack) TokenClient(server, token string) (kubernetes.Interface, error) {
	ca := s.ClusterCAFile()
	if server == ProxyURL {
		ca = s.ProxyCAFile()
	}
	return kubernetes.NewForConfig(&rest.Config{Host: server, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{CAFile: ca}})
}

// CheckPortsFree refuses to start when any sandbox port is taken (usually: a sandbox already runs).
func CheckPortsFree(ctx context.Context) error {
	ports := slices.Sorted(maps.Keys(Ports))
	var busy []string
	for _, port := range ports {
		l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr(port))
		if err != nil {
			busy = append(busy, strconv.Itoa(port)+" ("+Ports[port]+")")
			continue
		}
		_ = l.Close()
	}
	if len(busy) > 0 {
		return fmt.Errorf("ports already in use: %v; is a sandbox already running? stop it with `sandbox down`, or run in a private network namespace (unshare --net)", busy)
	}
	return nil
}
