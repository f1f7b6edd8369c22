package headlampview

import (
	"context"
	"errors"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// ErrNoHeadlamp marks that no Headlamp Deployment was found.
var ErrNoHeadlamp = errors.New("no Headlamp deployment found")

// noHeadlampError is HEADLAMP-FOUND's finding: no Headlamp Deployment where doctor looked. Its message
// is said once (pkg/headlamp's error already names the namespace and what to do); errors.Is still
// finds ErrNoHeadlamp and the error underneath.
type noHeadlampError struct {
	msg string
	err error
}

func (e *noHeadlampError) Error() string   { return e.msg }
func (e *noHeadlampError) Unwrap() []error { return []error{ErrNoHeadlamp, e.err} }

// missingHeadlamp explains err, the lookup that found no Headlamp Deployment. When the namespace
// itself does not exist, that is the finding; when doctor may not read namespaces it claims nothing.
func missingHeadlamp(ctx context.Context, env area.Env, err error) error {
	ns := env.Namespace
	if _, nsErr := env.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); area.NotFound(nsErr) {
		return &noHeadlampError{err: err, msg: fmt.Sprintf("namespace %s does not exist: pass the namespace Headlamp runs in with -n, "+
			"or install Headlamp with `kubectl capsule-headlamp install -n %s`", ns, ns)}
	}
	if errors.Is(err, headlamp.ErrNoHeadlamp) {
		return &noHeadlampError{err: err, msg: err.Error()}
	}
	return &noHeadlampError{err: err, msg: fmt.Sprintf("no Headlamp deployment %q in namespace %s (%v): pass --headlamp NAME of the one to check",
		env.HeadlampName, ns, err)}
}
