package cli

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes of the plugin, documented in README.md.
const (
	// ExitOK means the command did what was asked and found nothing wrong.
	ExitOK = 0
	// ExitFailure means the command ran and failed, or found problems (doctor checks that failed).
	ExitFailure = 1
	// ExitUsage means the command line was wrong: unknown command or flag, bad flag value, bad arguments.
	ExitUsage = 2
	// ExitInterrupted means the user interrupted the command (Ctrl-C, SIGTERM): 128 + SIGINT.
	ExitInterrupted = 130
)

// ExitError carries the exit code a command chose. A nil Err means the command already reported the
// problem (a doctor report, say) and nothing more is printed.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit code %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErrorf reports a bad command line: the process exits with ExitUsage.
func usageErrorf(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// exitCode maps the error a command returned to the process exit code. ran tells whether the command's
// own code started: anything cobra refused before that (unknown flag or command, wrong arguments) is a
// usage error.
func exitCode(ctx context.Context, err error, ran bool) int {
	var exitErr *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &exitErr):
		return exitErr.Code
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return ExitInterrupted
	case !ran:
		return ExitUsage
	default:
		return ExitFailure
	}
}
