package login

import (
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// tenantClient is a cluster where the user may not read Deployments in Headlamp's namespace.
func tenantClient() *fake.Clientset {
	cs := fake.NewClientset(installation("https://dex.example.com", true)...)
	cs.PrependReactor("*", "deployments", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "",
			errForbiddenReason)
	})
	return cs
}

var errForbiddenReason = apierrors.NewBadRequest(`User "alice" cannot list resource "deployments"`)

func TestRunWithURLDoesNotNeedTheLookup(t *testing.T) {
	env, ready, status := testEnv(t, tenantClient(), headlampPod(), nil, newFakeBrowser())
	err := Run(t.Context(), Options{Namespace: ns, URL: "https://h.example.com", NoBrowser: true}, env)
	if err != nil {
		t.Fatalf("Run(--url) as a tenant = %v, want nil", err)
	}
	got := <-ready
	if got.URL != "https://h.example.com/oidc?cluster=main" || got.ReachedBy != ByURL || got.RedirectURIAccepted != nil {
		t.Errorf("session = %+v, want the OIDC deep link, unchecked", got)
	}
	warnings := strings.Count(status.String(), "warning:")
	if warnings != 1 || !strings.Contains(status.String(), "redirect URI is not checked") {
		t.Errorf("status = %q, want one warning saying the redirect URI is not checked", status)
	}
}

func TestRunWithoutURLSaysWhatIsMissing(t *testing.T) {
	env, _, _ := testEnv(t, tenantClient(), headlampPod(), nil, newFakeBrowser())
	err := Run(t.Context(), Options{Namespace: ns, Port: 0}, env)
	if err == nil || !strings.Contains(err.Error(), "list deployments") || !strings.Contains(err.Error(), "--url") {
		t.Errorf("Run() as a tenant = %v, want an error naming the permission and --url", err)
	}
}

func TestRunWithAPathBesideTheSignInSkipsTheRedirectCheck(t *testing.T) {
	// The IdP refuses every redirect URI: the token page needs none.
	idp := fakeIDPFunc(t, func(string) bool { return false })
	cs := fake.NewClientset(installation(idp.URL+"/dex", true)...)
	env, ready, status := testEnv(t, cs, headlampPod(), caOf(idp), newFakeBrowser())
	o := Options{Namespace: ns, URL: "https://h.example.com", Path: "/c/main/token", NoBrowser: true}
	if err := Run(t.Context(), o, env); err != nil {
		t.Fatalf("Run(--path /c/main/token) = %v, want nil", err)
	}
	if got := <-ready; got.URL != "https://h.example.com/c/main/token" || got.RedirectURI != "" {
		t.Errorf("session = %+v, want the token page and no redirect URI", got)
	}
	if !strings.Contains(status.String(), "redirect URI is not checked") {
		t.Errorf("status = %q, want a line saying the redirect URI is not checked", status)
	}
}
