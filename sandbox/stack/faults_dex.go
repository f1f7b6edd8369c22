package stack

import (
	"context"
	"time"
)

// RestartDexWithTokenLifetime restarts Dex issuing ID tokens valid for ttl only, so that a test can
// hold a token Dex really signed and watch it expire (the default lifetime is a day). It is
// RestartDexWith(ctx, DexSettings{IDTokenLifetime: ttl}).
func (s *Stack) RestartDexWithTokenLifetime(ctx context.Context, ttl time.Duration) (Restore, error) {
	return s.RestartDexWith(ctx, DexSettings{IDTokenLifetime: ttl})
}

// RestartDexWith restarts Dex with ds (short token lifetimes, no refresh grant, ...). Restore brings
// back the healthy Dex and waits until alice's token is accepted again. Dex keeps its signing keys
// across restarts (sqlite storage), so tokens issued before stay verifiable.
func (s *Stack) RestartDexWith(ctx context.Context, ds DexSettings) (Restore, error) {
	restore := func(ctx context.Context) error {
		if err := s.restartDex(ctx, DexSettings{}); err != nil {
			return err
		}
		return s.waitTokenAccepted(ctx)
	}
	return restore, s.restartDex(ctx, ds)
}

func (s *Stack) restartDex(ctx context.Context, ds DexSettings) error {
	secret, err := s.ClientSecret()
	if err != nil {
		return err
	}
	s.stopComponent(Dex)
	if err := writeDexConfig(s.layout, secret, ds); err != nil {
		return err
	}
	return s.StartComponent(ctx, Dex)
}
