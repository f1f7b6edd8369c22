// Package build compiles the sandbox's upstream components from their tools modules and caches the
// binaries by version, so that only the first start pays the (long) cold build.
package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Builder builds components into CacheDir from the tools modules in ToolsDir.
type Builder struct {
	ToolsDir string    // folder holding one tools module per component (tools/<name>/go.mod)
	CacheDir string    // folder holding one folder per built component version
	Log      io.Writer // progress lines
}

// Installed maps a component name to the folder holding its binaries and assets.
type Installed map[string]string

// Bin returns the path of binary name of component comp.
func (in Installed) Bin(comp, name string) string { return filepath.Join(in[comp], name) }

// Ensure builds every component whose cache folder is missing and returns where they all live.
func (b Builder) Ensure(ctx context.Context, comps []Component) (Installed, error) {
	in := Installed{}
	for _, c := range comps {
		dir := filepath.Join(b.CacheDir, c.Key())
		in[c.Name] = dir
		if _, err := os.Stat(dir); err == nil {
			continue
		}
		if err := b.buildOne(ctx, c, dir); err != nil {
			return nil, fmt.Errorf("build %s %s: %w", c.Name, c.Version, err)
		}
	}
	return in, nil
}

// buildOne builds into a private temporary folder and renames it into place, so a concurrent
// builder or an interrupted build never leaves a half-filled cache folder behind.
func (b Builder) buildOne(ctx context.Context, c Component, dir string) error {
	if err := os.MkdirAll(b.CacheDir, 0o755); err != nil {
		return fmt.Errorf("create cache folder: %w", err)
	}
	tmp, err := os.MkdirTemp(b.CacheDir, ".build-"+c.Key()+"-")
	if err != nil {
		return fmt.Errorf("create temporary build folder: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	module := filepath.Join(b.ToolsDir, c.Name)
	start := time.Now()
	for _, bin := range c.Binaries {
		fmt.Fprintf(b.Log, "sandbox: building %s %s (%s), the first build takes minutes\n", c.Name, c.Version, bin.Name)
		if err := b.goBuild(ctx, module, c, bin, filepath.Join(tmp, bin.Name)); err != nil {
			return err
		}
	}
	for _, a := range c.Assets {
		if err := copyAsset(ctx, module, a, filepath.Join(tmp, a.Dest)); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("open up build folder: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr == nil {
			return nil // another process finished the same build first: use its result
		}
		return fmt.Errorf("move build into the cache: %w", err)
	}
	fmt.Fprintf(b.Log, "sandbox: built %s %s in %s\n", c.Name, c.Version, time.Since(start).Round(time.Second))
	return nil
}

// goBuild runs `go build` for one binary inside the component's tools module, printing a heartbeat
// while it runs because a cold Kubernetes build is silent for several minutes.
func (b Builder) goBuild(ctx context.Context, module string, c Component, bin Binary, out string) error {
	args := []string{"build", "-o", out}
	if c.LDFlags != "" {
		args = append(args, "-ldflags", c.LDFlags)
	}
	args = append(args, bin.Package)
	done := make(chan struct{})
	defer close(done)
	go b.heartbeat(done, c.Name+" "+bin.Name)
	output, err := goCmd(ctx, module, args...)
	if err != nil {
		return fmt.Errorf("go build %s: %w\n%s", bin.Package, err, tail(output, 40))
	}
	return nil
}

func (b Builder) heartbeat(done <-chan struct{}, what string) {
	start := time.Now()
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			fmt.Fprintf(b.Log, "sandbox: still building %s (%s)\n", what, time.Since(start).Round(time.Second))
		}
	}
}

// ErrNoTools is returned when the tools modules cannot be found.
var ErrNoTools = errors.New("sandbox tools modules not found: set SANDBOX_TOOLS_DIR to the repository's sandbox/tools folder")
