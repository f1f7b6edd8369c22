package authn

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Metrics is the JWT state of the API servers whose /metrics doctor read: through the kubeconfig's
// server that is one API server per run (the one that answered), named by its identity Lease.
type Metrics struct {
	// Server is the address /metrics was read from.
	Server string
	// APIServers are the API servers that answered, by apiserver_id_hash, in the order first seen.
	APIServers []APIServerState
	// Known are the cluster's kube-apiservers from their identity Leases; nil when unreadable.
	Known []Identity
	// KnownErr is why the identity Leases could not be read (a missing permission, say).
	KnownErr error
}

// APIServerState is one API server's authentication state as its /metrics shows it.
type APIServerState struct {
	IDHash string // apiserver_id_hash: sha256 of the API server's identity (its Lease name)
	// Issuers are its JWT authenticators' JWKS fetches, by jwt_issuer_hash.
	Issuers map[string]IssuerState
	Config  ConfigState
}

// IssuerState is what an API server fetched of one issuer's signing keys.
type IssuerState struct {
	LastSuccess, LastFailure time.Time // zero when no fetch ended so
	// KeySetHash is sha256 of the JWKS body it holds from its last successful fetch.
	KeySetHash string
}

// ConfigState is the authentication configuration an API server loaded, and its reloads.
type ConfigState struct {
	Hash                           string // sha256 of the file it runs; "" without --authentication-config
	LastReloadOK, LastReloadFailed time.Time
}

// LastFetchFailed reports whether the latest JWKS fetch failed.
func (s IssuerState) LastFetchFailed() bool { return s.LastFailure.After(s.LastSuccess) }

// ReloadRejected reports whether the latest reload of the file failed: the API server kept the
// configuration it ran before.
func (c ConfigState) ReloadRejected() bool { return c.LastReloadFailed.After(c.LastReloadOK) }

// HashOf is how the API server labels a value in /metrics: "sha256:<hex>" of it.
func HashOf(value string) string { return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(value))) }

// The /metrics series doctor reads (k8s.io/apiserver: plugin/pkg/authenticator/token/oidc/metrics.go and
// pkg/server/options/authenticationconfig/metrics/metrics.go).
const (
	seriesJWKSFetch    = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds"
	seriesKeySet       = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info"
	seriesConfig       = "apiserver_authentication_config_controller_last_config_info"
	seriesReloadLastTS = "apiserver_authentication_config_controller_automatic_reload_last_timestamp_seconds"
)

// parseMetrics reads an API server's /metrics with Prometheus' own text parser and keeps the JWT
// authenticator and configuration series, per apiserver_id_hash. Only their lines reach the parser:
// an API server exposes megabytes of other series, and parsing them all was most of a doctor run.
func parseMetrics(r io.Reader) ([]APIServerState, error) {
	text, err := seriesLines(r)
	if err != nil {
		return nil, fmt.Errorf("read /metrics: %w", err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse /metrics: %w", err)
	}
	b := &stateBuilder{byID: map[string]int{}}
	for _, name := range readSeries {
		for _, sample := range families[name].GetMetric() {
			labels := map[string]string{}
			for _, l := range sample.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			// Gauges as kube-apiserver declares them; untyped where a scrape left out the TYPE line.
			b.add(name, labels, sample.GetGauge().GetValue()+sample.GetUntyped().GetValue())
		}
	}
	return b.states, nil
}

// readSeries are the series parseMetrics keeps.
var readSeries = []string{seriesJWKSFetch, seriesKeySet, seriesConfig, seriesReloadLastTS}

// seriesLines copies from r the lines of readSeries, samples and their HELP and TYPE lines, and skips
// the others unparsed. A line longer than the read buffer arrives in pieces: its first decides.
func seriesLines(r io.Reader) ([]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out bytes.Buffer
	keep, lineStart := false, true
	for {
		chunk, err := br.ReadSlice('\n')
		if lineStart {
			keep = ofReadSeries(chunk)
		}
		if keep {
			out.Write(chunk)
		}
		lineStart = err == nil
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			if keep && len(chunk) > 0 {
				out.WriteByte('\n')
			}
			return out.Bytes(), nil
		default:
			return nil, err
		}
	}
}

// ofReadSeries reports whether line is a sample, HELP or TYPE line of one of readSeries.
func ofReadSeries(line []byte) bool {
	if rest, ok := bytes.CutPrefix(line, []byte("# ")); ok { // "# HELP name ..." or "# TYPE name ..."
		if _, name, ok := bytes.Cut(rest, []byte(" ")); ok {
			line = name
		}
	}
	for _, name := range readSeries {
		if after, ok := bytes.CutPrefix(line, []byte(name)); ok && len(after) > 0 && (after[0] == '{' || after[0] == ' ') {
			return true
		}
	}
	return false
}

type stateBuilder struct {
	states []APIServerState
	byID   map[string]int
}

func (b *stateBuilder) add(series string, labels map[string]string, value float64) {
	s := b.state(labels["apiserver_id_hash"])
	issuer := s.Issuers[labels["jwt_issuer_hash"]]
	switch series {
	case seriesJWKSFetch:
		if labels["result"] == "success" {
			issuer.LastSuccess = unixTime(value)
		} else {
			issuer.LastFailure = unixTime(value)
		}
		s.Issuers[labels["jwt_issuer_hash"]] = issuer
	case seriesKeySet:
		issuer.KeySetHash = labels["hash"]
		s.Issuers[labels["jwt_issuer_hash"]] = issuer
	case seriesConfig:
		s.Config.Hash = labels["hash"]
	case seriesReloadLastTS:
		if labels["status"] == "success" {
			s.Config.LastReloadOK = unixTime(value)
		} else {
			s.Config.LastReloadFailed = unixTime(value)
		}
	}
}

func (b *stateBuilder) state(id string) *APIServerState {
	i, ok := b.byID[id]
	if !ok {
		i = len(b.states)
		b.byID[id] = i
		b.states = append(b.states, APIServerState{IDHash: id, Issuers: map[string]IssuerState{}})
	}
	return &b.states[i]
}

func unixTime(seconds float64) time.Time {
	whole, frac := math.Modf(seconds)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC()
}
