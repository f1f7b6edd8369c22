package cli

import (
	"context"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// runDemo shows the identity chain working on a running sandbox: alice's Dex token accepted by the API
// server directly and through the proxy stand-in, and the proxy's namespace filtering.
func runDemo(ctx context.Context, st Streams, dir string, args []string) error {
	if err := noArgs("demo", args); err != nil {
		return err
	}
	s, err := attach(dir)
	if err != nil {
		return err
	}
	for _, c := range []struct{ title, user, client, server string }{
		{"alice, ID token for client kubernetes, straight to the API server", stack.Alice.Email, stack.KubernetesClientID, stack.APIServerURL},
		{"alice, ID token for client headlamp, through the capsule-proxy stand-in", stack.Alice.Email, stack.HeadlampClientID, stack.ProxyURL},
		{"bob (no Capsule group), straight to the API server", stack.Bob.Email, stack.KubernetesClientID, stack.APIServerURL},
	} {
		u, err := s.WhoAmI(ctx, c.user, c.client, c.server)
		if err != nil {
			return fmt.Errorf("%s: %w", c.title, err)
		}
		fmt.Fprintf(st.Out, "%s:\n  username %s\n  groups   %s\n", c.title, u.Username, strings.Join(u.Groups, ", "))
	}
	tok, err := s.Token(ctx, stack.Alice.Email, stack.HeadlampClientID, nil)
	if err != nil {
		return err
	}
	cs, err := s.TokenClient(stack.ProxyURL, tok)
	if err != nil {
		return err
	}
	nss, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list namespaces as alice through the proxy: %w", err)
	}
	var names []string
	for _, n := range nss.Items {
		names = append(names, n.Name)
	}
	fmt.Fprintf(st.Out, "namespaces alice sees through the proxy (tenant-a): %s\n", strings.Join(names, ", "))
	fmt.Fprint(st.Out, demoNext(dir))
	return nil
}

func demoNext(dir string) string {
	l := stack.Layout{Dir: dir}
	return fmt.Sprintf(`
Try next:
  export KUBECONFIG=%s
  kubectl get pods -A                                   # cluster admin
  sandbox kubeconfig --user %s --proxy --out /tmp/alice.yaml
  kubectl --kubeconfig /tmp/alice.yaml get namespaces   # alice through the proxy: tenant-a only
  sandbox token --user %s --out /tmp/alice.jwt          # the token is never printed
  kubectl capsule-headlamp --help
Stop it with: sandbox down   (or make sandbox-down)
`, l.AdminKubeconfig(), stack.Alice.Email, stack.Alice.Email)
}
