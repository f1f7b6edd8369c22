package proxy

import (
	"encoding/json"
	"net/http"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// unauthorized is the body that follows every authentication failure: the real proxy goes on to the
// API server with the request after it has written its own answer, so two Status objects arrive back
// to back under the first status code.
var unauthorized = metav1.Status{
	TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
	Status:   metav1.StatusFailure, Message: "Unauthorized", Reason: metav1.StatusReasonUnauthorized,
	Code: http.StatusUnauthorized,
}

// writeAuthFailure answers like capsule-proxy when it cannot tell who the caller is: 403 with a Status
// "<what>: <cause>" (reason Forbidden), then the API server's 401 Status.
func writeAuthFailure(w http.ResponseWriter, what, cause string) {
	first := metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: what + ": " + cause, Reason: metav1.StatusReasonForbidden,
		Code: http.StatusForbidden,
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	for _, st := range []metav1.Status{first, unauthorized} {
		b, _ := json.Marshal(st)
		_, _ = w.Write(b)
	}
}

// writeStatus answers with a single Kubernetes Status object, as the API server would.
func writeStatus(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: msg, Code: int32(code), //nolint:gosec // an HTTP status code
		Reason: metav1.StatusReason(http.StatusText(code)),
	})
}
