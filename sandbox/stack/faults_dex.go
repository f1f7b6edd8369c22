package stack

import (
	"context"
	"time"
)

// RestartDexWithTokenLifetime restarts Dex issuing ID tokens valid for ttl only, so that a test can
// hold a token Dex really signed and watch it expire (the default lifetime is a day). Restore
// brings back the default lifetime and waits until alice's token is accepted again. Dex keeps its
// signing keys across restarts (sqlite storage), so tokens issued before stay verifiable.
func (s *Stack) RestartDexWithTokenLifetime(ctx context.Context, ttl time.Duration) (Restore, error) {
	restore := func(ctx context.Context) error {
		if err := s.restartDex(ctx, 0); err != nil {
			return err
		}
		return s.waitTokenAccepted(ctx)
	}
	return restore, s.restartDex(ctx, ttl)
}

func (s *Stack) restartDex(ctx context.Context, ttl time.Duration) error {
	secret, err := s.ClientSecret()
	if err != nil {
		return err
	}
	s.stopComponent(Dex)
	if err := writeDexConfig(s.layout, secret, ttl); err != nil {
		return err
	}
	return s.StartComponent(ctx, Dex)
}
