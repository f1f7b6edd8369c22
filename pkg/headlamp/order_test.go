package headlamp

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// List gives every object of an installation in write order: what no container reads, the CA
// ConfigMaps, the settings, the Secret last of what Headlamp reads, then the Deployment, then what
// leads to it.
func TestListIsTheWriteOrder(t *testing.T) {
	s := production()
	s.Proxy.CopyCA = true
	o, err := Build(s, testMaterial())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, obj := range o.List() {
		data, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			t.Fatal(err)
		}
		got = append(got, head.Kind+"/"+head.Metadata.Name)
	}
	want := []string{
		"ServiceAccount/headlamp",
		"NetworkPolicy/headlamp",
		"ConfigMap/headlamp-idp-ca",
		"ConfigMap/" + s.Proxy.CA.Name,
		"ConfigMap/headlamp-oidc",
		"Secret/headlamp-oidc",
		"Deployment/headlamp",
		"Service/headlamp",
		"HTTPRoute/headlamp",
		"Role/headlamp-tenant-access",
		"RoleBinding/headlamp-tenant-access",
	}
	if !slices.Equal(got, want) {
		t.Errorf("List:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A missing optional object leaves no hole.
func TestListLeavesOutWhatIsNotBuilt(t *testing.T) {
	o := Objects{ServiceAccount: serviceAccount(New("ns")), Service: service(New("ns"))}
	if got := len(o.List()); got != 2 {
		t.Errorf("List holds %d objects, want 2", got)
	}
	for _, obj := range o.List() {
		if obj == nil {
			t.Error("List holds a nil object")
		}
	}
}
