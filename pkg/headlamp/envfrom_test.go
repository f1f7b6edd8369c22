package headlamp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func envFromGetter() keyGetter {
	return keyGetter{mapGetter{
		{KindConfigMap, "headlamp-settings", "OIDC_SCOPES"}:                      "email,groups",
		{KindConfigMap, "headlamp-settings", "OIDC_CALLBACK_URL"}:                "https://overridden.example.com/oidc-callback",
		{KindConfigMap, "headlamp-settings", "OIDC_USE_PKCE"}:                    "true",
		{KindSecret, "headlamp-oidc-env", "HEADLAMP_CONFIG_OIDC_CLIENT_ID"}:      "from-secret",
		{KindSecret, "headlamp-oidc-env", "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET"}:  "envfrom-secret",
		{KindSecret, "headlamp-oidc-env", "HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL"}: "https://idp.example.com",
		{KindSecret, "headlamp-oidc-env", "unrelated.key"}:                       "x",
	}}
}

func TestResolveEnvFromSettings(t *testing.T) {
	dep := loadDeployment(t, "envfrom.yaml")
	parsed, err := Parse(dep)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parsed.Sources[FlagOIDCScopes]; ok || parsed.OIDC.ClientSecret != nil {
		t.Errorf("Parse knew envFrom names without reading the objects: %v", parsed.Sources)
	}

	s, secrets, err := Resolve(t.Context(), envFromGetter(), dep)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.OIDC.Scopes, []string{"email", "groups"}) || !s.OIDC.UsePKCE || s.OIDC.IssuerURL != "https://idp.example.com" {
		t.Errorf("envFrom settings not resolved: %+v", s.OIDC)
	}
	if s.OIDC.ClientID != "from-env-entry" || s.OIDC.CallbackURL != "https://ui.example.com/oidc-callback" {
		t.Errorf("an env entry and an argument must override envFrom: client %q, callback %q", s.OIDC.ClientID, s.OIDC.CallbackURL)
	}
	if secrets.ClientSecret != "envfrom-secret" {
		t.Error("the client secret from envFrom was not resolved")
	}
	wantRef := KeyRef{Kind: KindSecret, Name: "headlamp-oidc-env", Key: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET"}
	if s.OIDC.ClientSecret == nil || *s.OIDC.ClientSecret != wantRef {
		t.Errorf("client secret ref = %v, want %v", s.OIDC.ClientSecret, wantRef)
	}
	if got := s.Sources[FlagOIDCScopes].String(); got != "ConfigMap headlamp-settings key OIDC_SCOPES (env HEADLAMP_CONFIG_OIDC_SCOPES)" {
		t.Errorf("scopes source reads %q", got)
	}
	if src := s.Sources[FlagOIDCClientSecret]; src.Literal() || strings.Contains(fmt.Sprintf("%+v %s", s, src), "envfrom-secret") {
		t.Errorf("the client secret leaked into Settings or reads as a literal: %s", src)
	}
}

func TestResolveEnvFromMissingSource(t *testing.T) {
	dep := loadDeployment(t, "envfrom.yaml")
	g := envFromGetter()
	for ref := range g.mapGetter {
		if ref.Name == "headlamp-settings" {
			delete(g.mapGetter, ref)
		}
	}
	s, _, err := Resolve(t.Context(), g, dep)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "envFrom ConfigMap headlamp-settings") {
		t.Errorf("err = %v, want the missing required source named", err)
	}
	if strings.Contains(fmt.Sprint(err), "not-there") {
		t.Errorf("an optional source that does not exist is reported: %v", err)
	}
	if s.OIDC.IssuerURL != "https://idp.example.com" {
		t.Errorf("the other source was not read: %+v", s.OIDC)
	}
}

// TestResolveWithoutKeyLister: a Getter that cannot list keys resolves what it can, as before.
func TestResolveWithoutKeyLister(t *testing.T) {
	s, _, err := Resolve(t.Context(), envFromGetter().mapGetter, loadDeployment(t, "envfrom.yaml"))
	if err != nil || s.OIDC.Scopes != nil || s.OIDC.ClientID != "from-env-entry" {
		t.Errorf("settings %+v, err %v", s.OIDC, err)
	}
}

// TestClusterGetterListsKeys: the getter doctor and login use finds envFrom settings in the cluster.
func TestClusterGetterListsKeys(t *testing.T) {
	cs := fake.NewClientset(
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-settings", Namespace: "tools"},
			Data: map[string]string{"OIDC_SCOPES": "email,groups"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "headlamp-oidc-env", Namespace: "tools"},
			Data: map[string][]byte{"HEADLAMP_CONFIG_OIDC_CLIENT_SECRET": []byte("envfrom-secret")}})
	s, secrets, err := Resolve(t.Context(), ClusterGetter(cs), loadDeployment(t, "envfrom.yaml"))
	if err != nil || !reflect.DeepEqual(s.OIDC.Scopes, []string{"email", "groups"}) || secrets.ClientSecret != "envfrom-secret" {
		t.Errorf("scopes %q, secret resolved %v, err %v", s.OIDC.Scopes, secrets.ClientSecret == "envfrom-secret", err)
	}
	if _, err := ClusterGetter(cs).(KeyLister).Keys(t.Context(), "tools", KindSecret, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("keys of a missing Secret: %v", err)
	}
}
