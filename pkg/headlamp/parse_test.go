package headlamp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"
)

// mapGetter serves Secret and ConfigMap keys from memory.
type mapGetter map[KeyRef]string

func (g mapGetter) Get(_ context.Context, _ string, ref KeyRef) (string, error) {
	v, ok := g[ref]
	if !ok {
		return "", fmt.Errorf("%s: %w", ref, ErrNotFound)
	}
	return v, nil
}

// keyGetter is a mapGetter that also lists keys, as the cluster getter does.
type keyGetter struct{ mapGetter }

func (g keyGetter) Keys(_ context.Context, _ string, kind, name string) ([]string, error) {
	var keys []string
	for ref := range g.mapGetter {
		if ref.Kind == kind && ref.Name == name {
			keys = append(keys, ref.Key)
		}
	}
	if keys == nil {
		return nil, fmt.Errorf("%s %s: %w", kind, name, ErrNotFound)
	}
	slices.Sort(keys)
	return keys, nil
}

// getterFor serves what Build wrote into Secrets and ConfigMaps.
func getterFor(o Objects) mapGetter {
	g := mapGetter{}
	if o.Secret != nil {
		for k, v := range o.Secret.Data {
			g[KeyRef{Kind: KindSecret, Name: *o.Secret.Name, Key: k}] = string(v)
		}
	}
	if o.OIDCConfig != nil {
		for k, v := range o.OIDCConfig.Data {
			g[KeyRef{Kind: KindConfigMap, Name: *o.OIDCConfig.Name, Key: k}] = v
		}
	}
	g[KeyRef{Kind: KindSecret, Name: DefaultProxySecret, Key: CAKey}] = testProxyCA
	g[KeyRef{Kind: KindSecret, Name: DefaultProxySecret, Key: ProxyCAKeyCertgen}] = testProxyCA
	return g
}

// deploymentOf turns the Deployment's apply configuration into the object the API server would store.
func deploymentOf(t *testing.T, o Objects) *appsv1.Deployment {
	t.Helper()
	data, err := json.Marshal(o.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	var dep appsv1.Deployment
	if err := json.Unmarshal(data, &dep); err != nil {
		t.Fatal(err)
	}
	return &dep
}

func TestRoundTrip(t *testing.T) {
	for name, want := range buildCases() {
		t.Run(name, func(t *testing.T) {
			o, err := Build(want, testMaterial())
			if err != nil {
				t.Fatal(err)
			}
			dep := deploymentOf(t, o)

			parsed, err := Parse(dep)
			if err != nil {
				t.Fatal(err)
			}
			if parsed.OIDC.IssuerURL != "" || parsed.OIDC.Scopes != nil {
				t.Errorf("Parse read values kept in the ConfigMap: %+v", parsed.OIDC)
			}
			if src := parsed.Sources[FlagOIDCScopes]; src.From == nil || *src.From != (KeyRef{Kind: KindConfigMap, Name: ConfigMapName(DefaultName), Key: SecretKeyScopes}) || src.Env != "HEADLAMP_CONFIG_OIDC_SCOPES" {
				t.Errorf("scopes source = %s", src)
			}

			got, secrets, err := Resolve(t.Context(), getterFor(o), dep)
			if err != nil {
				t.Fatal(err)
			}
			if secrets.ClientSecret != testSecret {
				t.Errorf("resolved client secret %q, want the one built", secrets.ClientSecret)
			}
			comparable := func(s Settings) Settings {
				// Parse reads the Deployment: what lives in other objects stays unset.
				s.Sources, s.Ingress, s.Gateway, s.NetworkPolicy, s.TenantAccess, s.Proxy.CopyCA = nil, nil, nil, nil, nil, false
				return s
			}
			if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
				t.Errorf("round trip differs\ngot:  %+v\nwant: %+v", g, w)
			}
		})
	}
}

func TestGoldenHoldsNoSecret(t *testing.T) {
	for name := range buildCases() {
		data, err := os.ReadFile(filepath.Join("testdata", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), base64.StdEncoding.EncodeToString([]byte(testSecret))) || strings.Contains(string(data), testSecret) {
			t.Errorf("%s holds the client secret", name)
		}
	}
}

// loadDeployment reads a Deployment from testdata.
func loadDeployment(t *testing.T, name string) *appsv1.Deployment {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var dep appsv1.Deployment
	if err := yaml.UnmarshalStrict(data, &dep); err != nil {
		t.Fatal(err)
	}
	return &dep
}
