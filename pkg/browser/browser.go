// Package browser opens URLs in the user's web browser. It is the seam between commands that need a
// browser (login, the auth-code flow of doctor) and the machine: commands take a Launcher, tests give
// them a fake. The launcher's own output is captured or discarded, never mixed into the command's output.
package browser

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"

	clibrowser "github.com/cli/browser"
)

// Launcher opens a URL in a browser.
type Launcher interface {
	// Open starts opening url. It returns once the browser was started ($BROWSER: the program is not
	// waited for, it may be the browser itself) or the system opener has finished, when that failed,
	// or when ctx ended (the program is then left to run).
	Open(ctx context.Context, url string) error
}

// LauncherFunc adapts a function to a Launcher, for tests and for wrapping.
type LauncherFunc func(ctx context.Context, url string) error

// Open calls f.
func (f LauncherFunc) Open(ctx context.Context, url string) error { return f(ctx, url) }

// System returns the launcher of this machine: the command(s) in $BROWSER when it is set, as gh,
// git and Python do; else the platform's opener (on Linux the first of xdg-open, x-www-browser,
// www-browser, wslview). getenv reads the environment.
func System(getenv func(string) string) Launcher {
	if v := strings.TrimSpace(getenv("BROWSER")); v != "" {
		return EnvCommand(v)
	}
	return platform{}
}

// platform opens URLs with github.com/cli/browser.
type platform struct{}

// platformMu guards github.com/cli/browser's package-level output writers, which Open points at a
// buffer for the length of one call.
var platformMu sync.Mutex

func (platform) Open(ctx context.Context, url string) error {
	done := make(chan error, 1)
	go func() {
		platformMu.Lock()
		defer platformMu.Unlock()
		var out bytes.Buffer
		clibrowser.Stdout, clibrowser.Stderr = &out, &out
		err := clibrowser.OpenURL(url)
		if err != nil {
			err = withOutput(fmt.Errorf("open the system browser: %w", err), out.Bytes())
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// withOutput adds the launcher's output, trimmed and shortened, to err.
func withOutput(err error, out []byte) error {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return err
	}
	const limit = 500
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return fmt.Errorf("%w: %s", err, s)
}
