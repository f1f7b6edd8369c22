package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// RotateDexKeys restarts Dex on an empty storage, so that it signs with new keys and publishes only
// those: what a Dex with in-memory storage does at every restart, or a rotation that drops the old key
// at once. The API server keeps the key set it fetched until its copy expires (Dex sends
// max-age=600) and, until then, rejects tokens signed with the new key; it fetches again for such a
// token only once its copy expired. Restore brings back Dex's storage and its keys, which the API
// server still holds, and waits until alice's token is accepted again.
func (s *Stack) RotateDexKeys(ctx context.Context) (Restore, error) {
	dir, aside := s.layout.Path(Dex), s.layout.Path(Dex, "before-rotation")
	s.stopComponent(Dex)
	if err := moveStorage(dir, aside); err != nil {
		return nil, err
	}
	restore := func(ctx context.Context) error {
		s.stopComponent(Dex)
		if err := moveStorage(aside, dir); err != nil {
			return err
		}
		if err := s.StartComponent(ctx, Dex); err != nil {
			return err
		}
		return s.waitTokenAccepted(ctx)
	}
	return restore, s.StartComponent(ctx, Dex)
}

// moveStorage moves Dex's sqlite files (dex.db and its -wal, -shm or -journal) from one folder to
// another, replacing those there.
func moveStorage(from, to string) error {
	if err := os.MkdirAll(to, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", to, err)
	}
	old, _ := filepath.Glob(filepath.Join(to, "dex.db*"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("remove Dex's storage: %w", err)
		}
	}
	files, err := filepath.Glob(filepath.Join(from, "dex.db*"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no Dex storage in %s (%v)", from, err)
	}
	for _, f := range files {
		if err := os.Rename(f, filepath.Join(to, filepath.Base(f))); err != nil {
			return fmt.Errorf("move Dex's storage: %w", err)
		}
	}
	return nil
}
