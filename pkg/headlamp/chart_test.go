package headlamp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseChartGuide(t *testing.T) {
	dep := loadDeployment(t, "chart-guide.yaml")
	s, err := Parse(dep)
	if err != nil {
		t.Fatal(err)
	}
	if s.OIDC.ClientID != "headlamp" || s.OIDC.IssuerURL != "https://keycloak.example.com/realms/capsule" {
		t.Errorf("OIDC = %+v", s.OIDC)
	}
	// Headlamp splits on commas only: the guide's space-separated list is one scope.
	if want := []string{"openid email profile groups"}; !reflect.DeepEqual(s.OIDC.Scopes, want) {
		t.Errorf("scopes = %q, want %q", s.OIDC.Scopes, want)
	}
	if !s.InsecureSSL || !s.InCluster || s.InClusterContextName != "main" {
		t.Errorf("switches: insecure %v, in-cluster %v, context %q", s.InsecureSSL, s.InCluster, s.InClusterContextName)
	}
	if s.Proxy.APIHost() != "capsule-proxy.capsule-system.svc" || s.Proxy.Port != 9001 || s.Proxy.Host != "" {
		t.Errorf("proxy = %+v", s.Proxy)
	}
	if want := (KeyRef{Kind: KindSecret, Name: "capsule-proxy", Key: CAKey}); s.Proxy.CA == nil || *s.Proxy.CA != want {
		t.Errorf("proxy CA = %v, want %v", s.Proxy.CA, want)
	}
	if s.OIDC.ClientSecret != nil {
		t.Errorf("a literal client secret got a reference: %v", s.OIDC.ClientSecret)
	}
	src := s.Sources[FlagOIDCClientSecret]
	if !src.Literal() || src.Env != "OIDC_CLIENT_SECRET" || src.Arg != "-oidc-client-secret" {
		t.Errorf("client secret source = %+v", src)
	}
	if got := src.String(); got != "literal (env OIDC_CLIENT_SECRET, argument -oidc-client-secret)" {
		t.Errorf("client secret source reads %q", got)
	}
	if idp := s.Sources[SettingIDPCA]; idp.Volume != "certs" || !strings.Contains(idp.Default, "init container update-ca") {
		t.Errorf("IdP CA source = %+v", idp)
	}
	if got := fmt.Sprintf("%+v", s); strings.Contains(got, "guide-literal-secret") {
		t.Error("Parse kept the literal client secret in Settings")
	}
	if o := OwnerOf(dep); o.Manager != ManagedByHelm || o.HelmRelease != "headlamp" || o.Ours() {
		t.Errorf("owner = %+v", o)
	}

	_, secrets, err := Resolve(t.Context(), mapGetter{}, dep)
	if err != nil || secrets.ClientSecret != "guide-literal-secret" {
		t.Errorf("Resolve: literal secret %q, err %v", secrets.ClientSecret, err)
	}
}

func TestParseChartSecret(t *testing.T) {
	dep := loadDeployment(t, "chart-secret.yaml")
	s, err := Parse(dep)
	if err != nil {
		t.Fatal(err)
	}
	if s.Replicas != 2 || s.BaseURL != "/ui" || s.OIDC.CallbackURL != "https://ui.example.com/ui/oidc-callback" {
		t.Errorf("replicas %d, base URL %q, callback %q", s.Replicas, s.BaseURL, s.OIDC.CallbackURL)
	}
	if got := s.Sources[FlagOIDCScopes].String(); got != "Secret oidc key scopes (env OIDC_SCOPES, argument -oidc-scopes)" {
		t.Errorf("scopes source reads %q", got)
	}
	if want := (KeyRef{Kind: KindSecret, Name: "oidc", Key: "clientSecret"}); s.OIDC.ClientSecret == nil || *s.OIDC.ClientSecret != want {
		t.Errorf("client secret ref = %v", s.OIDC.ClientSecret)
	}
	if s.Proxy.Host != "capsule-proxy.capsule-system.svc.cluster.local" || s.Proxy.Service != "capsule-proxy" {
		t.Errorf("proxy = %+v: a .cluster.local host must be kept as written (it is not a SAN)", s.Proxy)
	}
	if want := (KeyRef{Kind: KindSecret, Name: "capsule-proxy-ca", Key: "ca"}); s.Proxy.CA == nil || *s.Proxy.CA != want {
		t.Errorf("proxy CA via subPath = %v, want %v", s.Proxy.CA, want)
	}
	if ca := s.OIDC.CA; ca == nil || ca.Trust != TrustAppend || ca.Path != "/etc/idp" || ca.From != (KeyRef{Kind: KindSecret, Name: "idp-ca", Key: "root.pem"}) {
		t.Errorf("IdP CA = %+v", ca)
	}

	g := mapGetter{
		{KindSecret, "oidc", "clientID"}:       "headlamp",
		{KindSecret, "oidc", "clientSecret"}:   "chart-secret",
		{KindSecret, "oidc", "issuerURL"}:      "https://idp.example.com",
		{KindSecret, "oidc", "useAccessToken"}: "true",
	}
	s, secrets, err := Resolve(t.Context(), g, dep)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "Secret oidc key scopes") {
		t.Errorf("Resolve with a missing key: err = %v", err)
	}
	if secrets.ClientSecret != "chart-secret" || !s.OIDC.UseAccessToken || s.OIDC.IssuerURL != "https://idp.example.com" {
		t.Errorf("resolved %+v", s.OIDC)
	}
	// A missing required key keeps the pod from starting: the setting stays unknown.
	if s.OIDC.Scopes != nil {
		t.Errorf("scopes with a missing key = %q, want none", s.OIDC.Scopes)
	}
}

func TestParseChartExternalSecret(t *testing.T) {
	dep := loadDeployment(t, "chart-external.yaml")
	s, err := Parse(dep)
	if err != nil {
		t.Fatal(err)
	}
	if !s.OIDC.UsePKCE || s.Sources[FlagOIDCUsePKCE].Env != "HEADLAMP_CONFIG_OIDC_USE_PKCE" {
		t.Errorf("PKCE %v from %s", s.OIDC.UsePKCE, s.Sources[FlagOIDCUsePKCE])
	}
	if src := s.Sources[FlagOIDCIssuerURL]; src.From == nil || *src.From != (KeyRef{Kind: KindSecret, Name: "oidc-external", Key: "OIDC_ISSUER_URL"}) {
		t.Errorf("issuer source = %s", src)
	}
	if _, ok := s.Sources[SettingAPIHost]; ok || s.Proxy.APIHost() != "" {
		t.Errorf("KUBERNETES_SERVICE_HOST is not set, yet the proxy reads %+v", s.Proxy)
	}
	if src := s.Sources[SettingProxyCA]; src.Default == "" || s.Proxy.CA.Name != "kube-root-ca.crt" {
		t.Errorf("without a CA volume the pod trusts the cluster CA; got %v from %s", s.Proxy.CA, src)
	}
	if s.ServiceAccount != "default" || s.Replicas != 1 {
		t.Errorf("service account %q, replicas %d", s.ServiceAccount, s.Replicas)
	}

	g := mapGetter{
		{KindSecret, "oidc-external", "OIDC_CLIENT_ID"}:     "ui",
		{KindSecret, "oidc-external", "OIDC_CLIENT_SECRET"}: "external-secret",
		{KindSecret, "oidc-external", "OIDC_ISSUER_URL"}:    "https://idp.example.com",
	}
	s, secrets, err := Resolve(t.Context(), g, dep)
	if err != nil || s.OIDC.ClientID != "ui" || secrets.ClientSecret != "external-secret" {
		t.Errorf("Resolve: %+v, err %v", s.OIDC, err)
	}
}

func TestParseRejectsBadValues(t *testing.T) {
	dep := loadDeployment(t, "chart-external.yaml")
	c := &dep.Spec.Template.Spec.Containers[0]
	c.Args = append(c.Args, "-oidc-use-pkce=maybe")
	if _, err := Parse(dep); err == nil || !strings.Contains(err.Error(), `"maybe" is not a boolean`) {
		t.Errorf("err = %v", err)
	}
	dep.Spec.Template.Spec.Containers = nil
	if _, err := Parse(dep); err == nil {
		t.Error("a Deployment without containers parsed")
	}
}
