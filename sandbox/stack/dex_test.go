package stack

import (
	"os"
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
		if err := writeDexConfig(l, "s3cret", tc.ttl); err != nil {
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
