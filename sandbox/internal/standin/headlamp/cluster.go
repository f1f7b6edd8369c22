package headlamp

import (
	"crypto/tls"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// userAgent is what Headlamp's API client sends.
const userAgent = "Headlamp 0.45.0 (linux/amd64)"

// clusterProxy forwards to the in-cluster server like Headlamp's per-context reverse proxy: TLS verified
// with the CA read at start for the host of KUBERNETES_SERVICE_HOST, keep-alive connections (idle ones
// close after 90 s), and on an error a 502 with an empty body and "http: proxy error: ..." in the log.
func (s *Server) clusterProxy() http.Handler {
	target, _ := url.Parse(s.apiURL)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: s.apiRoots, MinVersion: tls.VersionTLS12}
	if s.cfg.Dial != nil {
		tr.DialContext = s.cfg.Dial
	}
	return &httputil.ReverseProxy{
		Transport: tr,
		ErrorLog:  stdLogger(s.cfg.Log),
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = target.Host
			pr.Out.Header.Set("User-Agent", userAgent)
		},
	}
}

// clusterRequest serves /clusters/<name>/<path>: the user's token from the Authorization header or,
// without one, from the session cookie, and the rest of the path to the cluster.
func (s *Server) clusterRequest(w http.ResponseWriter, r *http.Request) {
	cluster := r.PathValue("cluster")
	if s.cluster == nil || cluster != s.settings.Cluster() {
		http.Error(w, "cluster not found: "+cluster, http.StatusNotFound)
		return
	}
	out := r.Clone(r.Context())
	prefix := "/clusters/" + cluster
	out.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
	out.URL.RawPath = ""
	if out.Header.Get("Authorization") == "" {
		if tok := sessionToken(r, cluster); tok != "" {
			out.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	out.Header.Del("Cookie")
	s.cluster.ServeHTTP(w, out)
}

// sessionToken joins the chunks headlamp-auth-<cluster>.0, .1, ... of the session cookie.
func sessionToken(r *http.Request, cluster string) string {
	var b strings.Builder
	for i := 0; ; i++ {
		c, err := r.Cookie("headlamp-auth-" + cluster + "." + strconv.Itoa(i))
		if err != nil {
			return b.String()
		}
		b.WriteString(c.Value)
	}
}
