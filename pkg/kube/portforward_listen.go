package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
)

// ErrPortInUse means the local port to listen on is taken by another program.
var ErrPortInUse = errors.New("local port in use")

// ListenLocal listens on 127.0.0.1:port and, when the machine has IPv6 loopback, on [::1]:port too,
// because browsers may resolve localhost to either. A port taken on either address is ErrPortInUse:
// a browser could otherwise reach the other program. Port 0 picks a free port (IPv4 only).
func ListenLocal(ctx context.Context, port int) ([]net.Listener, error) {
	var lc net.ListenConfig
	v4, err := lc.Listen(ctx, "tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, listenError("127.0.0.1", port, err)
	}
	if port == 0 {
		return []net.Listener{v4}, nil
	}
	v6, err := lc.Listen(ctx, "tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
	switch {
	case err == nil:
		return []net.Listener{v4, v6}, nil
	case addrInUse(err):
		_ = v4.Close()
		return nil, listenError("::1", port, err)
	default:
		// No IPv6 loopback here: 127.0.0.1 alone serves localhost.
		return []net.Listener{v4}, nil
	}
}

func listenError(host string, port int, err error) error {
	if addrInUse(err) {
		return fmt.Errorf("listen on %s: %w (another port-forward or program uses it)",
			net.JoinHostPort(host, strconv.Itoa(port)), ErrPortInUse)
	}
	return fmt.Errorf("listen on %s: %w", net.JoinHostPort(host, strconv.Itoa(port)), err)
}

// Serve forwards every connection accepted on the listeners to the pod until ctx ends. It then
// closes the listeners and every forwarded connection, waits for them, and returns nil. An accept
// error other than the shutdown is returned.
func (f *Forwarder) Serve(ctx context.Context, listeners ...net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		for _, ln := range listeners {
			_ = ln.Close()
		}
	})
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, len(listeners))
	for _, ln := range listeners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- f.accept(ctx, ln, &wg)
			cancel()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// accept forwards the connections of one listener; it returns nil once ctx has ended.
func (f *Forwarder) accept(ctx context.Context, ln net.Listener, wg *sync.WaitGroup) error {
	for {
		local, err := ln.Accept()
		switch {
		case ctx.Err() != nil:
			// Serve closes the listeners when ctx ends, so this Accept failing is the shutdown asked
			// for, not a failure; a connection accepted in that instant has no forward left to use.
			if err == nil {
				_ = local.Close()
			}
			return nil
		case err != nil:
			return fmt.Errorf("accept on %s: %w", ln.Addr(), err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.forward(ctx, local)
		}()
	}
}

// forward copies one local connection to a new connection to the pod and back, until either side
// ends it or ctx ends.
func (f *Forwarder) forward(ctx context.Context, local net.Conn) {
	defer func() { _ = local.Close() }()
	remote, err := f.dial(ctx)
	if err != nil {
		if ctx.Err() == nil {
			f.emit(ForwardEvent{Kind: EventForwardFailed, Err: err})
		}
		return
	}
	defer func() { _ = remote.Close() }()
	stop := context.AfterFunc(ctx, func() {
		_ = local.Close()
		_ = remote.Close()
	})
	defer stop()
	podDone := make(chan struct{})
	localFailed := make(chan struct{})
	var copies sync.WaitGroup
	copies.Go(func() {
		_, _ = io.Copy(local, remote)
		close(podDone)
	})
	copies.Go(func() {
		if _, err := io.Copy(remote, local); err != nil {
			close(localFailed)
			return
		}
		// The local side is done sending: tell the pod, and keep relaying its answer.
		_ = remote.CloseWrite()
	})
	// The exchange is over once the pod has sent all of its answer, or when the local side broke.
	select {
	case <-podDone:
	case <-localFailed:
	}
	_ = local.Close()
	_ = remote.Close()
	copies.Wait()
}
