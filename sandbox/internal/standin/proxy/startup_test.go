package proxy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	authv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func TestCheckKinds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kinds []string
		want  string // "" means served
	}{
		{"both", []string{"ProxySetting", "GlobalProxySettings"}, ""},
		{"none", nil, `no matches for kind "ProxySetting" in version "capsule.clastix.io/v1beta1"`},
		{"no global", []string{"ProxySetting"}, `no matches for kind "GlobalProxySettings" in version "capsule.clastix.io/v1beta1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewClientset()
			if tc.kinds != nil {
				list := &metav1.APIResourceList{GroupVersion: "capsule.clastix.io/v1beta1"}
				for _, k := range tc.kinds {
					list.APIResources = append(list.APIResources, metav1.APIResource{Name: strings.ToLower(k), Kind: k})
				}
				cs.Discovery().(*fakediscovery.FakeDiscovery).Resources = []*metav1.APIResourceList{list}
			}
			err := checkKinds(cs.Discovery())
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("served kinds: %v", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want || !meta.IsNoMatchError(err)):
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// statuses decodes the Status objects of a body, in order.
func statuses(t *testing.T, body []byte) []metav1.Status {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	var out []metav1.Status
	for {
		var st metav1.Status
		if err := dec.Decode(&st); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("decode %q: %v", body, err)
		}
		out = append(out, st)
	}
}

func TestAuthenticationFailuresGetTwoStatuses(t *testing.T) {
	cs := fake.NewClientset()
	cs.PrependReactor("create", "tokenreviews", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, &authv1.TokenReview{Status: authv1.TokenReviewStatus{
			Error: `[invalid bearer token, oidc: expected audience "kubernetes" got ["headlamp"]]`}}, nil
	})
	s := &Server{kube: cs}
	for _, tc := range []struct {
		name, auth, want string
	}{
		{"no credential", "", "cannot retrieve user and group: no authentication provider available"},
		{"rejected token", "Bearer tok", `cannot authenticate the token due to error: [invalid bearer token, oidc: expected audience "kubernetes" got ["headlamp"]]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/v1/namespaces", nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			got := statuses(t, w.Body.Bytes())
			if w.Code != http.StatusForbidden || len(got) != 2 {
				t.Fatalf("answer %d with %d statuses, want 403 with 2: %s", w.Code, len(got), w.Body)
			}
			if got[0].Code != 403 || got[0].Reason != metav1.StatusReasonForbidden || got[0].Message != tc.want {
				t.Errorf("first status %+v, want 403 %q", got[0], tc.want)
			}
			if got[1].Code != 401 || got[1].Message != "Unauthorized" {
				t.Errorf("second status %+v, want 401 Unauthorized", got[1])
			}
		})
	}
}
