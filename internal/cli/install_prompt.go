package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// errNoSecret explains every way to give the client secret.
var errNoSecret = errors.New("the OIDC client secret is required: pass --oidc-client-secret-file, set " +
	envClientSecret + ", or run install on a terminal to be asked for it")

// errPromptInterrupted is Ctrl-C at the prompt: the terminal is in raw mode there, so it arrives as a
// byte, not as SIGINT, and still ends the command with 130.
var errPromptInterrupted = &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted at the client secret prompt")}

// promptSecret asks on the terminal with echo off; without a terminal it explains the alternatives.
// Ctrl-C, or the end of ctx (SIGINT or SIGTERM from elsewhere), stops it at once.
func (o *installOptions) promptSecret(ctx context.Context) (string, error) {
	in, ok := o.root.streams.In.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return "", usageErrorf("%w", errNoSecret)
	}
	errOut := o.root.streams.ErrOut
	fmt.Fprintf(errOut, "OIDC client secret for client %q: ", o.flags.clientID)
	secret, err := readPassword(ctx, in)
	fmt.Fprintln(errOut)
	return strings.TrimSpace(secret), err
}

// readPassword reads a line from the terminal f with echo off. The terminal goes into raw mode here,
// in the caller's goroutine, and is restored before returning on every path, so the read that a
// cancelled ctx leaves blocked never changes the terminal afterwards (term.ReadPassword would restore
// echo only once its read returned, that is after Enter).
func readPassword(ctx context.Context, f *os.File) (string, error) {
	fd := int(f.Fd())
	saved, err := term.MakeRaw(fd)
	if err != nil {
		return "", fmt.Errorf("switch off the terminal's echo: %w", err)
	}
	defer func() { _ = term.Restore(fd, saved) }()
	return readLine(ctx, f)
}

// readLine returns the line editLine reads from r, or ctx's error as soon as ctx ends; the blocked read
// is then left behind (the command is about to exit).
func readLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := editLine(r)
		done <- result{line, err}
	}()
	select {
	case res := <-done:
		return res.line, res.err
	case <-ctx.Done():
		return "", fmt.Errorf("read the client secret: %w", ctx.Err())
	}
}

// editLine reads typed bytes up to Enter the way a terminal in line mode would: backspace removes a
// character, Ctrl-U the whole line, Ctrl-C interrupts, Ctrl-D or the end of input ends it.
func editLine(r io.Reader) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			switch c := b[0]; {
			case c == '\r' || c == '\n':
				return string(line), nil
			case c == 0x03: // Ctrl-C
				return "", errPromptInterrupted
			case c == 0x04: // Ctrl-D
				return string(line), nil
			case c == 0x7f || c == 0x08: // backspace
				_, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
			case c == 0x15: // Ctrl-U
				line = line[:0]
			case c >= 0x20:
				line = append(line, c)
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return string(line), nil
		case err != nil:
			return "", fmt.Errorf("read the client secret from the terminal: %w", err)
		}
	}
}
