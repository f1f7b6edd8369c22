package browser

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
)

// EnvCommand is the value of $BROWSER: one command, or several separated by the path-list separator
// (":" on Unix) to try in order, as Python's webbrowser reads it. Each command is split into words
// like a shell would (quotes and backslashes, no expansion) and runs without a shell. A "%s" in the
// command is replaced by the URL ("%%" stands for "%"); without one the URL is appended.
type EnvCommand string

// Open starts the first command of the list that can be started, and returns without waiting for it
// to exit: a $BROWSER command may be the browser itself, which runs until the user closes it.
func (e EnvCommand) Open(ctx context.Context, url string) error {
	var errs []error
	for _, c := range strings.Split(string(e), string(os.PathListSeparator)) {
		argv, err := Argv(c, url)
		if err != nil {
			return fmt.Errorf("read $BROWSER: %w", err)
		}
		if len(argv) == 0 {
			continue
		}
		err = start(ctx, argv)
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		return err
	}
	if len(errs) == 0 {
		return errors.New("$BROWSER names no command")
	}
	return fmt.Errorf("no command of $BROWSER could be started: %w", errors.Join(errs...))
}

// start starts argv and reaps it in the background. The program outlives ctx, since the browser must
// stay open after the command that opened it ends; its output is discarded, never mixed into the
// plugin's own.
func start(ctx context.Context, argv []string) error {
	// The user's own $BROWSER is the program to run: that is its purpose, not tainted input. It runs
	// without a shell and the URL is one argument word, so nothing in the URL can become a command.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), argv[0], argv[1:]...) //nolint:gosec // G204: runs the user's own $BROWSER, without a shell
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start browser %q from $BROWSER: %w", argv[0], err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// Argv turns one $BROWSER command into the argument vector that opens url.
func Argv(command, url string) ([]string, error) {
	words, err := splitWords(command)
	if err != nil {
		return nil, err
	}
	substituted := false
	for i, w := range words {
		if strings.Contains(w, "%s") {
			substituted = true
		}
		words[i] = substitute(w, url)
	}
	if len(words) > 0 && !substituted {
		words = append(words, url)
	}
	return words, nil
}

// substitute replaces %s by url and %% by %, leaving any other % alone.
func substitute(word, url string) string {
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		if word[i] == '%' && i+1 < len(word) {
			switch word[i+1] {
			case 's':
				b.WriteString(url)
				i++
				continue
			case '%':
				b.WriteByte('%')
				i++
				continue
			}
		}
		b.WriteByte(word[i])
	}
	return b.String()
}
