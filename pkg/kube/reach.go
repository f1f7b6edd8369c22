package kube

import (
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Answered reports whether err came back from the API server (a Kubernetes Status: not found,
// forbidden, ...), as opposed to a request that never reached it.
func Answered(err error) bool {
	var status apierrors.APIStatus
	return errors.As(err, &status)
}

// Reach wraps an error of a request that never reached the API server (refused, TLS, timeout)
// with what to check; nil and the API server's own answers pass through unchanged.
func Reach(err error) error {
	if err == nil || Answered(err) {
		return err
	}
	return fmt.Errorf("reach the API server (is the cluster of the current context reachable?): %w", err)
}
