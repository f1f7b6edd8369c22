package area

import (
	"context"
	"errors"
	"fmt"
	"net"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Access describes an API request for messages and for the permission review, in kubectl's words.
type Access struct {
	Verb, Group, Resource, Subresource string
	Namespace, Name                    string
	NonResourceURL                     string
}

func (a Access) String() string {
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
	access Access
	err    error
}

func (e *accessError) Error() string { return fmt.Sprintf("%s: %v", e.access, e.err) }
func (e *accessError) Unwrap() error { return e.err }

// WrapAccess returns err (nil when nil) together with the request a that met it, so that a check can
// name the request when it reports it.
func WrapAccess(a Access, err error) error {
	if err == nil {
		return nil
	}
	return &accessError{access: a, err: err}
}

// AccessOf returns the request an error met, when it was wrapped with WrapAccess.
func AccessOf(err error) (Access, bool) {
	var ae *accessError
	if errors.As(err, &ae) {
		return ae.access, true
	}
	return Access{}, false
}

// NotFound reports whether err is the API's NotFound.
func NotFound(err error) bool { return apierrors.IsNotFound(err) }

// CouldNotLook turns an error met while reading a fact into an unknown result that names the missing
// permission, the address that did not answer, or the error.
func CouldNotLook(err error) engine.Result {
	what := "read the cluster"
	if a, ok := AccessOf(err); ok {
		what = a.String()
	}
	var netErr net.Error
	switch {
	case apierrors.IsForbidden(err):
		return engine.Unknown("forbidden: doctor may not %s; grant it to check this", what).With("missing permission", what)
	case apierrors.IsUnauthorized(err):
		return engine.Unknown("unauthorized: the API server rejected doctor's credentials (%s)", what)
	case errors.Is(err, context.DeadlineExceeded), apierrors.IsTimeout(err), apierrors.IsServerTimeout(err):
		return engine.Unknown("timed out trying to %s", what)
	case errors.As(err, &netErr):
		return engine.Unknown("no answer trying to %s: %v", what, netErr)
	}
	return engine.Unknown("could not %s: %v", what, Unwrap(err))
}

// Unwrap returns the API error under the request WrapAccess added, for a message that names the
// object itself.
func Unwrap(err error) error {
	var ae *accessError
	if errors.As(err, &ae) {
		return ae.err
	}
	return err
}
