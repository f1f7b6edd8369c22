package headlamp

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// TestResolveReadsTheEarlierLayout: an installation made before the ConfigMap existed keeps every
// OIDC setting in the Secret; doctor and login still read it.
func TestResolveReadsTheEarlierLayout(t *testing.T) {
	want := buildCases()["plain"]
	o, err := Build(want, testMaterial())
	if err != nil {
		t.Fatal(err)
	}
	dep := deploymentOf(t, o)
	g := mapGetter{{Kind: KindSecret, Name: SecretName(want.Name), Key: SecretKeyClientSecret}: testSecret}
	c := &dep.Spec.Template.Spec.Containers[0]
	for i, env := range c.Env {
		if ref := env.ValueFrom; ref != nil && ref.ConfigMapKeyRef != nil {
			key := ref.ConfigMapKeyRef.Key
			c.Env[i].ValueFrom = &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: SecretName(want.Name)}, Key: key}}
			g[KeyRef{Kind: KindSecret, Name: SecretName(want.Name), Key: key}] = getterFor(o)[KeyRef{Kind: KindConfigMap, Name: ConfigMapName(want.Name), Key: key}]
		}
	}
	got, secrets, err := Resolve(t.Context(), g, dep)
	if err != nil {
		t.Fatal(err)
	}
	if got.OIDC.IssuerURL != want.OIDC.IssuerURL || got.OIDC.ClientID != want.OIDC.ClientID ||
		!reflect.DeepEqual(got.OIDC.Scopes, want.OIDC.Scopes) || secrets.ClientSecret != testSecret {
		t.Errorf("earlier layout read as %+v (secret read: %t)", got.OIDC, secrets.ClientSecret == testSecret)
	}
	if src := got.Sources[FlagOIDCIssuerURL]; src.From == nil || src.From.Kind != KindSecret {
		t.Errorf("issuer source = %s, want the Secret", src)
	}
}

func TestTokenHasAnAudienceNoServerAccepts(t *testing.T) {
	o, err := Build(buildCases()["plain"], testMaterial())
	if err != nil {
		t.Fatal(err)
	}
	dep := deploymentOf(t, o)
	var audiences []string
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Projected == nil {
			continue
		}
		for _, src := range v.Projected.Sources {
			if src.ServiceAccountToken != nil {
				audiences = append(audiences, src.ServiceAccountToken.Audience)
			}
		}
	}
	if !reflect.DeepEqual(audiences, []string{TokenAudience}) {
		t.Errorf("projected token audiences = %q, want only %q", audiences, TokenAudience)
	}
	if a := dep.Spec.Template.Spec.AutomountServiceAccountToken; a == nil || *a {
		t.Error("the pod automounts a ServiceAccount token")
	}
}

func TestGatewayOfReadsTheRouteBuilt(t *testing.T) {
	s := production()
	if got := GatewayOf(httpRoute(s)); got == nil || *got != *s.Gateway {
		t.Errorf("GatewayOf = %+v, want %+v", got, s.Gateway)
	}
	r := httpRoute(s)
	delete(r.Object["spec"].(map[string]any)["parentRefs"].([]any)[0].(map[string]any), "namespace")
	if got := GatewayOf(r); got == nil || got.Namespace != s.Namespace {
		t.Errorf("a parent without namespace is in the route's: %+v", got)
	}
	delete(r.Object["spec"].(map[string]any), "hostnames")
	if got := GatewayOf(r); got != nil {
		t.Errorf("a route without host names gives %+v", got)
	}
}

func TestTenantGroups(t *testing.T) {
	rb := &rbacv1.RoleBinding{Subjects: []rbacv1.Subject{
		{Kind: rbacv1.GroupKind, Name: "b"}, {Kind: rbacv1.UserKind, Name: "alice"}, {Kind: rbacv1.GroupKind, Name: "a"}, {Kind: rbacv1.GroupKind, Name: "b"},
	}}
	if got := TenantGroups(rb); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("TenantGroups = %q", got)
	}
}

func TestBuildRefusesIngressAndGateway(t *testing.T) {
	s := production()
	s.Ingress = &Ingress{Host: "h.example.com"}
	if _, err := Build(s, testMaterial()); err == nil {
		t.Error("Build made both an Ingress and an HTTPRoute")
	}
	s = production()
	s.NetworkPolicy.ProxySelector = nil
	if _, err := Build(s, testMaterial()); err == nil {
		t.Error("Build made a network policy without capsule-proxy's pods")
	}
}
