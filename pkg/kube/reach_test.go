package kube

import (
	"context"
	"errors"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestReach(t *testing.T) {
	notFound := apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, "x")
	if got := Reach(notFound); got != notFound { //nolint:errorlint // the very same error must come back
		t.Errorf("an answer of the API server was rewrapped: %v", got)
	}
	if Reach(nil) != nil {
		t.Error("Reach(nil) != nil")
	}
	refused := errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	got := Reach(refused)
	if !errors.Is(got, refused) || !strings.Contains(got.Error(), "is the cluster of the current context reachable?") {
		t.Errorf("Reach(refused) = %v, want it wrapped with what to check", got)
	}
	if !errors.Is(Reach(context.Canceled), context.Canceled) {
		t.Error("a cancelled request no longer reads as cancelled")
	}
}
