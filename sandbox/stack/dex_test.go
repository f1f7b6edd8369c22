package stack

import (
	"os"
	"slices"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

func TestWriteDexConfigTokenLifetime(t *testing.T) {
	for _, tc := range []struct {
		ttl  time.Duration
		want string // expiry.idTokens, "" when Dex's default applies
	}{
		{0, ""},
		{3 * time.Second, "3s"},
	} {
		l := Layout{Dir: t.TempDir()}
		if err := os.MkdirAll(l.Path("dex"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := writeDexConfig(l, "s3cret", DexSettings{IDTokenLifetime: tc.ttl}); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(l.Path("dex", "config.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("ttl %v: mode %v, want 0600: the file holds the client secret", tc.ttl, info.Mode().Perm())
		}
		data, err := os.ReadFile(l.Path("dex", "config.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var cfg struct {
			Expiry struct {
				IDTokens string `json:"idTokens"`
			} `json:"expiry"`
		}
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Expiry.IDTokens != tc.want {
			t.Errorf("ttl %v: expiry.idTokens %q, want %q", tc.ttl, cfg.Expiry.IDTokens, tc.want)
		}
	}
}

func TestWriteDexConfigWithoutRefresh(t *testing.T) {
	l := Layout{Dir: t.TempDir()}
	if err := os.MkdirAll(l.Path("dex"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeDexConfig(l, "s3cret", DexSettings{NoRefreshGrant: true, RefreshTokenLifetime: time.Minute}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(l.Path("dex", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		OAuth2 struct {
			GrantTypes []string `json:"grantTypes"`
		} `json:"oauth2"`
		Expiry struct {
			RefreshTokens struct {
				AbsoluteLifetime string `json:"absoluteLifetime"`
			} `json:"refreshTokens"`
		} `json:"expiry"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.OAuth2.GrantTypes) == 0 || slices.Contains(cfg.OAuth2.GrantTypes, "refresh_token") || !slices.Contains(cfg.OAuth2.GrantTypes, "password") {
		t.Errorf("grantTypes %q, want every grant but refresh_token", cfg.OAuth2.GrantTypes)
	}
	if cfg.Expiry.RefreshTokens.AbsoluteLifetime != "1m0s" {
		t.Errorf("refresh token lifetime %q, want 1m0s", cfg.Expiry.RefreshTokens.AbsoluteLifetime)
	}
}
