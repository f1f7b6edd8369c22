package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// access describes an API request for messages and for the permission review, in kubectl's words.
type access struct {
	Verb, Group, Resource, Subresource string
	Namespace, Name                    string
	NonResourceURL                     string
}

func (a access) String() string {
	if a.NonResourceURL != "" {
		return a.Verb + " " + a.NonResourceURL
	}
	res := a.Resource
	if a.Subresource != "" {
		res += "/" + a.Subresource
	}
	if a.Group != "" {
		res += "." + a.Group
	}
	s := a.Verb + " " + res
	if a.Name != "" {
		s += " " + a.Name
	}
	if a.Namespace != "" {
		s += " -n " + a.Namespace
	}
	return s
}

// accessError is an API error together with the request that met it.
type accessError struct {
	access access
	err    error
}

func (e *accessError) Error() string { return fmt.Sprintf("%s: %v", e.access, e.err) }
func (e *accessError) Unwrap() error { return e.err }

func wrapAccess(a access, err error) error {
	if err == nil {
		return nil
	}
	return &accessError{access: a, err: err}
}

// notFound reports whether err is the API's NotFound.
func notFound(err error) bool { return apierrors.IsNotFound(err) }

// couldNotLook turns an error met while reading a fact into an unknown result that names the missing
// permission, the address that did not answer, or the error.
func couldNotLook(err error) Result {
	var ae *accessError
	what := "read the cluster"
	if errors.As(err, &ae) {
		what = ae.access.String()
	}
	var netErr net.Error
	switch {
	case apierrors.IsForbidden(err):
		return Unknown("forbidden: doctor may not %s; grant it to check this", what).With("missing permission", what)
	case apierrors.IsUnauthorized(err):
		return Unknown("unauthorized: the API server rejected doctor's credentials (%s)", what)
	case errors.Is(err, context.DeadlineExceeded), apierrors.IsTimeout(err), apierrors.IsServerTimeout(err):
		return Unknown("timed out trying to %s", what)
	case errors.As(err, &netErr):
		return Unknown("no answer trying to %s: %v", what, netErr)
	}
	return Unknown("could not %s: %v", what, unwrapAccess(err))
}

func unwrapAccess(err error) error {
	var ae *accessError
	if errors.As(err, &ae) {
		return ae.err
	}
	return err
}
