package install

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// pullSecretProblems finds the image pull Secrets that would leave the pod unable to pull: missing
// in the namespace, or of a type the kubelet does not read registry credentials from.
func pullSecretProblems(ctx context.Context, cs kubernetes.Interface, namespace string, names []string) []Problem {
	var problems []Problem
	for _, name := range names {
		what := fmt.Sprintf("image pull secret %s/%s", namespace, name)
		sec, err := cs.CoreV1().Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			problems = append(problems, Problem{What: what + " does not exist",
				Hint: fmt.Sprintf("create it (kubectl -n %s create secret docker-registry %s ...), or leave out --image-pull-secret %s", namespace, name, name)})
		case err != nil:
			problems = append(problems, readProblem(err, what, ""))
		case sec.Type != corev1.SecretTypeDockerConfigJson && sec.Type != corev1.SecretTypeDockercfg:
			problems = append(problems, Problem{What: fmt.Sprintf("%s is of type %s: the kubelet reads registry credentials only from %s or %s Secrets",
				what, sec.Type, corev1.SecretTypeDockerConfigJson, corev1.SecretTypeDockercfg),
				Hint: "create it with kubectl create secret docker-registry"})
		}
	}
	return problems
}

// readProblem turns a failed read into a problem: not found gets the hint, anything else says why.
func readProblem(err error, what, hint string) Problem {
	switch {
	case apierrors.IsNotFound(err):
		return Problem{What: what + " does not exist", Hint: hint}
	case apierrors.IsForbidden(err):
		return Problem{What: "you may not read " + what, Hint: "ask a cluster administrator for read access, or run install as a user who has it"}
	}
	return Problem{What: fmt.Sprintf("read %s: %v", what, err)}
}
