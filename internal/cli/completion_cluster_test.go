package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// completionAPIServer lists two namespaces, and Headlamp Deployments in capsule-system by label.
func completionAPIServer(t *testing.T) string {
	t.Helper()
	item := func(name string) string { return `{"metadata":{"name":"` + name + `"}}` }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch sel := r.URL.Query().Get("labelSelector"); {
		case r.URL.Path == "/api/v1/namespaces":
			_, _ = w.Write([]byte(`{"kind":"NamespaceList","apiVersion":"v1","items":[` + item("capsule-system") + `,` + item("tenant-a") + `]}`))
		case r.URL.Path != "/apis/apps/v1/namespaces/capsule-system/deployments":
			http.NotFound(w, r)
		case strings.Contains(sel, "managed-by"):
			_, _ = w.Write([]byte(`{"kind":"DeploymentList","apiVersion":"apps/v1","items":[` + item("headlamp") + `]}`))
		default:
			_, _ = w.Write([]byte(`{"kind":"DeploymentList","apiVersion":"apps/v1","items":[` + item("headlamp") + `,` + item("chart-headlamp") + `]}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCompletionAsksTheCluster(t *testing.T) {
	flags := []string{"--kubeconfig", emptyKubeconfig(t), "--server", completionAPIServer(t)}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"version", "-n", ""}, "capsule-system\ntenant-a\n:4\n"},
		{[]string{"login", "--namespace", "ten"}, "tenant-a\n:4\n"},
		{[]string{"login", "--headlamp", ""}, "chart-headlamp\nheadlamp\n:4\n"},
	}
	for _, tt := range tests {
		args := append(append([]string{"__complete"}, flags...), tt.args...)
		_, stdout, _ := run(t, nil, args...)
		if !strings.HasPrefix(stdout, tt.want) {
			t.Errorf("__complete %q = %q, want %q (4: no file completion)", tt.args, stdout, tt.want)
		}
	}
}
