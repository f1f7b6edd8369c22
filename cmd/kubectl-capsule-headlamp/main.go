// Command kubectl-capsule_headlamp is the kubectl plugin that installs, diagnoses and opens Headlamp
// behind capsule-proxy. kubectl finds it as `kubectl capsule-headlamp`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	code := cli.Execute(ctx, streams, os.Args[1:], os.Getenv)
	stop()
	os.Exit(code)
}
