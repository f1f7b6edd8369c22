package e2e

import (
	"slices"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

func TestAliceTokenAcceptedByAPIServer(t *testing.T) {
	for _, client := range []string{stack.KubernetesClientID, stack.HeadlampClientID} {
		u, err := sb.WhoAmI(t.Context(), stack.Alice.Email, client, stack.APIServerURL)
		if err != nil {
			t.Fatalf("SelfSubjectReview with alice's %s token: %v", client, err)
		}
		if u.Username != stack.Alice.Email {
			t.Errorf("%s token: username %q, want %q", client, u.Username, stack.Alice.Email)
		}
		if !slices.Contains(u.Groups, "tenant-a-owners") || !slices.Contains(u.Groups, "developers") {
			t.Errorf("%s token: groups %v, want tenant-a-owners and developers", client, u.Groups)
		}
	}
}

func TestAliceThroughProxySeesHerTenant(t *testing.T) {
	u, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.ProxyURL)
	if err != nil {
		t.Fatalf("SelfSubjectReview through the proxy: %v", err)
	}
	if u.Username != stack.Alice.Email || !slices.Contains(u.Groups, "tenant-a-owners") {
		t.Errorf("through the proxy: %q %v, want %s in tenant-a-owners", u.Username, u.Groups, stack.Alice.Email)
	}
	names := proxyNamespaces(t, stack.Alice.Email)
	if !slices.Equal(names, stack.TenantNamespaces) {
		t.Errorf("alice's namespaces through the proxy: %v, want %v", names, stack.TenantNamespaces)
	}
}

func TestBobAcceptedButNoCapsuleUser(t *testing.T) {
	u, err := sb.WhoAmI(t.Context(), stack.Bob.Email, stack.KubernetesClientID, stack.APIServerURL)
	if err != nil {
		t.Fatalf("SelfSubjectReview with bob's token: %v", err)
	}
	if u.Username != stack.Bob.Email || slices.Contains(u.Groups, stack.TenantOwnerGroup) {
		t.Errorf("bob: %q %v, want %s without %s", u.Username, u.Groups, stack.Bob.Email, stack.TenantOwnerGroup)
	}
	cs := tokenClient(t, stack.Bob.Email, stack.HeadlampClientID, stack.ProxyURL)
	_, err = cs.CoreV1().Namespaces().List(t.Context(), metav1.ListOptions{})
	if !apierrors.IsForbidden(err) {
		t.Errorf("bob listing namespaces through the proxy: %v, want forbidden (not a Capsule user: no filtering)", err)
	}
}

// TestProxyRejectsUnknownToken: capsule-proxy answers a token the API server rejects with 403 (its
// body is two Status objects, which client-go cannot decode).
func TestProxyRejectsUnknownToken(t *testing.T) {
	cs, err := sb.TokenClient(stack.ProxyURL, "not-a-token")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cs.CoreV1().Namespaces().List(t.Context(), metav1.ListOptions{})
	if !apierrors.IsForbidden(err) {
		t.Errorf("bad token through the proxy: %v, want 403", err)
	}
}

// proxyNamespaces lists namespaces through the proxy stand-in as user.
func proxyNamespaces(t *testing.T, user string) []string {
	t.Helper()
	cs := tokenClient(t, user, stack.HeadlampClientID, stack.ProxyURL)
	list, err := cs.CoreV1().Namespaces().List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list namespaces through the proxy as %s: %v", user, err)
	}
	var names []string
	for _, n := range list.Items {
		names = append(names, n.Name)
	}
	slices.Sort(names)
	return names
}

func tokenClient(t *testing.T, user, client, server string) kubernetes.Interface {
	t.Helper()
	tok, err := sb.Token(t.Context(), user, client, nil)
	if err != nil {
		t.Fatalf("token for %s: %v", user, err)
	}
	cs, err := sb.TokenClient(server, tok)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
