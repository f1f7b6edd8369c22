package stack

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"time"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"
)

// EditAuthConfig writes the healthy AuthenticationConfiguration changed by mutate over the file the
// running API server reads, without restarting it. The API server re-reads the file (at once on a
// file event, else within a minute) and applies it, or keeps running the configuration it has when
// the new one fails: it may not change `anonymous` without a restart, say. Restore writes the healthy
// file back and waits until the API server runs it again.
func (s *Stack) EditAuthConfig(ctx context.Context, mutate func(*apiserverv1.AuthenticationConfiguration)) (Restore, error) {
	cfg, err := healthyAuthConfig(s.layout)
	if err != nil {
		return nil, err
	}
	mutate(&cfg)
	restore := func(ctx context.Context) error {
		healthy, err := healthyAuthConfig(s.layout)
		if err != nil {
			return err
		}
		if err := writeAuthConfig(s.layout, healthy); err != nil {
			return err
		}
		return s.waitConfigLoaded(ctx)
	}
	return restore, writeAuthConfig(s.layout, cfg)
}

// waitConfigLoaded waits until the API server's /metrics show the file it reads as the configuration
// it runs.
func (s *Stack) waitConfigLoaded(ctx context.Context) error {
	data, err := os.ReadFile(s.layout.AuthConfig())
	if err != nil {
		return fmt.Errorf("read the authentication config: %w", err)
	}
	want := fmt.Sprintf(`hash="sha256:%x"`, sha256.Sum256(data))
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		m, err := s.APIServerMetrics(ctx, APIServerURL)
		if err == nil && strings.Contains(configInfoLine(m), want) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the API server did not load %s again: %w (last /metrics error: %v)", s.layout.AuthConfig(), ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// configInfoLine is the sample of apiserver_authentication_config_controller_last_config_info.
func configInfoLine(metrics string) string {
	for line := range strings.SplitSeq(metrics, "\n") {
		if strings.HasPrefix(line, "apiserver_authentication_config_controller_last_config_info{") {
			return line
		}
	}
	return ""
}
