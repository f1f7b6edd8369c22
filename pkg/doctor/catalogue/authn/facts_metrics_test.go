package authn

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
)

// TestReadMetricsAsksForItsSeriesOnly: /metrics is asked for the series doctor reads (name[]), and
// an API server that ignores the filter still has only those read from its whole page.
func TestReadMetricsAsksForItsSeriesOnly(t *testing.T) {
	for _, filters := range []bool{true, false} {
		var asked []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/metrics" {
				http.NotFound(w, r)
				return
			}
			asked = r.URL.Query()["name[]"]
			page := cp1.config("file") + cp1.fetch("success", 100)
			if !filters {
				page = "apiserver_request_total{verb=\"GET\"} 7\n" + page
			}
			_, _ = w.Write([]byte(page))
		}))
		env := area.Env{Kube: kubernetes.NewForConfigOrDie(&rest.Config{Host: srv.URL}), Server: srv.URL}
		m, err := readMetrics(t.Context(), env, time.Now())
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(asked, readSeries) {
			t.Errorf("asked for %q, want %q", asked, readSeries)
		}
		if len(m.APIServers) != 1 || m.APIServers[0].Config.Hash != HashOf("file") || m.APIServers[0].IDHash != HashOf("apiserver-cp1") {
			t.Errorf("filters %v: states %+v", filters, m.APIServers)
		}
	}
}
