package headlamp

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	testProxyCA = "-----BEGIN CERTIFICATE-----\nproxy-ca\n-----END CERTIFICATE-----\n"
	testIDPCA   = "-----BEGIN CERTIFICATE-----\nidp-ca\n-----END CERTIFICATE-----\n"
	testSecret  = "s3cr3t-value"
)

func testMaterial() Material {
	return Material{ClientSecret: testSecret, ProxyCA: []byte(testProxyCA), IDPCA: []byte(testIDPCA)}
}

// buildCases are the installations the golden files and the round trip cover.
func buildCases() map[string]Settings {
	plain := New("capsule-system")
	plain.OIDC.IssuerURL = "https://dex.example.com/dex"
	plain.TrustProxyCA(CAKey, nil)

	other := New("headlamp")
	other.OIDC.IssuerURL = "https://keycloak.example.com/realms/capsule"
	other.OIDC.CallbackURL = "https://headlamp.example.com/oidc-callback"
	other.OIDC.CA = &CA{From: KeyRef{Kind: KindConfigMap, Name: IDPCAConfigMapName("headlamp"), Key: CAKey}, Trust: TrustAppend, Path: IDPCADir}
	other.Ingress = &Ingress{Host: "headlamp.example.com", ClassName: "nginx", TLSSecret: "headlamp-tls"}
	other.TrustProxyCA(CAKey, nil)

	replace := New("capsule-system")
	replace.OIDC.IssuerURL = "https://idp.internal/"
	replace.OIDC.Scopes = []string{"email", "groups"}
	replace.OIDC.UseAccessToken = true
	replace.OIDC.UsePKCE = true
	replace.OIDC.ValidatorClientID = "kubernetes"
	replace.OIDC.ValidatorIssuerURL = "https://idp.internal/validator"
	replace.OIDC.CA = &CA{From: KeyRef{Kind: KindConfigMap, Name: IDPCAConfigMapName("headlamp"), Key: CAKey}, Trust: TrustReplace, Path: IDPCADir + "/" + CAKey}
	replace.BaseURL = "/headlamp"
	replace.Proxy.Port = 443
	replace.TrustProxyCA(ProxyCAKeyCertgen, nil)

	bundle := New("tools")
	bundle.OIDC.IssuerURL = "https://dex.example.com/dex"
	bundle.TrustProxyCA(CAKey, &KeyRef{Kind: KindConfigMap, Name: "capsule-proxy-bundle", Key: "bundle.pem"})

	return map[string]Settings{"plain": plain, "other-namespace": other, "replace-trust": replace, "trust-bundle": bundle,
		"production": production()}
}

// production has every production option on: private registry, resources, network policy, a
// Gateway route and tenant access.
func production() Settings {
	s := New("headlamp")
	s.OIDC.IssuerURL = "https://dex.example.com/dex"
	s.OIDC.CA = &CA{From: KeyRef{Kind: KindConfigMap, Name: IDPCAConfigMapName("headlamp"), Key: CAKey}, Trust: TrustAppend, Path: IDPCADir}
	s.Image = "registry.example.com/mirror/headlamp:v0.45.0"
	s.ImagePullSecrets = []string{"registry-a", "registry-b"}
	s.Resources.Limits[corev1.ResourceMemory] = resource.MustParse("1Gi")
	s.Gateway = &Gateway{Namespace: "gateways", Name: "public", Host: "headlamp.example.com"}
	s.NetworkPolicy = &NetworkPolicy{
		ProxySelector: map[string]string{"app.kubernetes.io/name": "capsule-proxy"},
		ProxyPort:     intstr.FromString("proxy"),
		IDP:           []Peer{{CIDR: "192.0.2.10/32", Port: 443}, {CIDR: "2001:db8::10/128", Port: 443}, {CIDR: "198.51.100.7/32", Port: 8443}},
	}
	s.TenantAccess = []string{"tenant-a-owners", "tenant-b-owners"}
	s.TrustProxyCA(CAKey, nil)
	return s
}

// renderYAML writes objects as a YAML stream.
func renderYAML(t *testing.T, o Objects) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, obj := range o.List() {
		data, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("---\n")
		b.Write(data)
	}
	return b.Bytes()
}

func TestBuildGolden(t *testing.T) {
	for name, s := range buildCases() {
		t.Run(name, func(t *testing.T) {
			o, err := Build(s, testMaterial())
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, name+".yaml", renderYAML(t, o.Redacted(s)), *update)
		})
	}
}

func TestBuildRefusesIncompleteInput(t *testing.T) {
	s := New("capsule-system")
	if _, err := Build(s, Material{}); err == nil || !strings.Contains(err.Error(), "TrustProxyCA") {
		t.Errorf("Build without a proxy CA decision: err = %v", err)
	}
	s = New("elsewhere")
	s.TrustProxyCA(CAKey, nil)
	s.OIDC.CA = &CA{Trust: TrustAppend}
	_, err := Build(s, Material{})
	for _, want := range []string{"proxy CA must be copied", "IdP CA is configured"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build error %v does not say %q", err, want)
		}
	}
}

func TestHelmValuesGolden(t *testing.T) {
	for _, name := range []string{"plain", "other-namespace", "production"} {
		t.Run(name, func(t *testing.T) {
			got, err := HelmValues(buildCases()[name])
			if err != nil {
				t.Fatal(err)
			}
			var values map[string]any
			if err := yaml.Unmarshal(got, &values); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			if crb := values["clusterRoleBinding"].(map[string]any); crb["create"] != false {
				t.Error("the values keep the chart's cluster-admin binding")
			}
			golden.Assert(t, "helm-"+name+".yaml", got, *update)
		})
	}
}

func TestHelmImage(t *testing.T) {
	for in, want := range map[string]string{
		"ghcr.io/headlamp-k8s/headlamp:v0.45.0": "ghcr.io headlamp-k8s/headlamp v0.45.0",
		"registry:5000/headlamp:dev":            "registry:5000 headlamp dev",
		"headlamp/headlamp":                     "docker.io headlamp/headlamp ",
	} {
		m := helmImage(in)
		if got := m["registry"].(string) + " " + m["repository"].(string) + " " + m["tag"].(string); got != want {
			t.Errorf("helmImage(%q) = %q, want %q", in, got, want)
		}
	}
}
