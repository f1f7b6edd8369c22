package headlamp

import "testing"

func TestConfigHashFollowsWhatThePodReads(t *testing.T) {
	s := buildCases()["other-namespace"]
	base, err := configHash(s, testMaterial())
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]func(*Settings, *Material){
		"proxy CA":      func(_ *Settings, m *Material) { m.ProxyCA = []byte("other") },
		"IdP CA":        func(_ *Settings, m *Material) { m.IDPCA = []byte("other") },
		"client secret": func(_ *Settings, m *Material) { m.ClientSecret = "other" },
		"scopes":        func(s *Settings, _ *Material) { s.OIDC.Scopes = []string{"email"} },
		"issuer":        func(s *Settings, _ *Material) { s.OIDC.IssuerURL = "https://other" },
		"pull secrets":  func(s *Settings, _ *Material) { s.ImagePullSecrets = []string{"registry"} },
	}
	for name, change := range changed {
		s2, m2 := s, testMaterial()
		s2.OIDC.Scopes = append([]string(nil), s.OIDC.Scopes...)
		change(&s2, &m2)
		if h, _ := configHash(s2, m2); h == base {
			t.Errorf("a changed %s leaves the hash as it was: the pod would not restart", name)
		}
	}
	same := map[string]func(*Settings){
		"replicas": func(s *Settings) { s.Replicas = 3 },
		"ingress":  func(s *Settings) { s.Ingress = nil },
		"gateway":  func(s *Settings) { s.Gateway = &Gateway{Namespace: "gw", Name: "public", Host: "h.example.com"} },
		"policy":   func(s *Settings) { s.NetworkPolicy = &NetworkPolicy{IDP: []Peer{{CIDR: "192.0.2.1/32", Port: 443}}} },
		"tenants":  func(s *Settings) { s.TenantAccess = []string{"tenant-a-owners"} },
		"sources":  func(s *Settings) { s.Sources = Sources{FlagBaseURL: {Arg: "-base-url"}} },
	}
	for name, change := range same {
		s2 := s
		change(&s2)
		if h, _ := configHash(s2, testMaterial()); h != base {
			t.Errorf("a changed %s changes the hash: needless restart", name)
		}
	}
}
