package kube

import (
	"errors"
	"syscall"
)

// wsaeAddrInUse is Windows' "address already in use" (WSAEADDRINUSE), which syscall.EADDRINUSE does
// not match there.
const wsaeAddrInUse = syscall.Errno(10048)

func addrInUse(err error) bool {
	return errors.Is(err, wsaeAddrInUse) || errors.Is(err, syscall.EADDRINUSE)
}
