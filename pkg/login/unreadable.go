package login

import (
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// unreadable says in one line why settings could not be read: the first permission the user lacks,
// else the first error. The errors of Resolve are joined, one per setting, and would fill the screen.
func unreadable(err error, namespace string) string {
	if d := forbidden(err); d != nil {
		return fmt.Sprintf("no permission to get %s %s in namespace %s", d.Kind, d.Name, namespace)
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return first
}

// forbidden returns the details of the first Forbidden answer in err's tree, nil when there is none.
func forbidden(err error) *metav1.StatusDetails {
	var status apierrors.APIStatus
	if errors.As(err, &status) && status.Status().Reason == metav1.StatusReasonForbidden && status.Status().Details != nil {
		return status.Status().Details
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return nil
	}
	for _, e := range joined.Unwrap() {
		if d := forbidden(e); d != nil {
			return d
		}
	}
	return nil
}
