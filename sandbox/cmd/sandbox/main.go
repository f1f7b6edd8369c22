// Command sandbox runs the project's local Kubernetes + Dex + Capsule + KWOK stack for the end-to-end
// tests and the demo. See sandbox/README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Streams{Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
