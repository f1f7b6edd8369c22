package doctor

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// Bundle is what `doctor --bundle` packs for a support request. Nothing in it is a credential: objects
// are scrubbed (Scrub), claims are the redacted view, certificates are summaries.
type Bundle struct {
	Report       Report
	Claims       any // the redacted claims view, or nil without a token
	Certificates map[string][]trust.Summary
	Objects      []any // Deployments and Services, already scrubbed
	Pods         any
	Events       any
	Versions     map[string]string
	Created      time.Time
}

// WriteBundle writes b as a gzipped tar of JSON and YAML files.
func WriteBundle(w io.Writer, b Bundle) error {
	var report bytes.Buffer
	if err := render.WriteJSON(&report, b.Report, Chain(b.Report)); err != nil {
		return err
	}
	files := []bundleFile{{"report.json", report.Bytes()}}
	for _, part := range []struct {
		name string
		v    any
	}{{"claims.json", b.Claims}, {"certificates.json", b.Certificates}, {"pods.json", b.Pods}, {"events.json", b.Events}, {"versions.json", b.Versions}} {
		if part.v == nil {
			continue
		}
		data, err := json.MarshalIndent(part.v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode %s: %w", part.name, err)
		}
		files = append(files, bundleFile{part.name, append(data, '\n')})
	}
	for i, obj := range b.Objects {
		data, err := yaml.Marshal(obj)
		if err != nil {
			return fmt.Errorf("encode object %d: %w", i, err)
		}
		files = append(files, bundleFile{fmt.Sprintf("objects/%02d-%s.yaml", i, objectName(obj)), data})
	}
	return writeTarGz(w, files, b.Created)
}

type bundleFile struct {
	name string
	data []byte
}

func writeTarGz(w io.Writer, files []bundleFile, mtime time.Time) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{Name: "capsule-headlamp-doctor/" + f.name, Mode: 0o600, Size: int64(len(f.data)), ModTime: mtime, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("write bundle entry %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return fmt.Errorf("write bundle entry %s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("finish the bundle: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("finish the bundle: %w", err)
	}
	return nil
}

// objectName names an object's file: kind-name, from its metadata.
func objectName(obj any) string {
	var meta struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if data, err := json.Marshal(obj); err == nil {
		_ = json.Unmarshal(data, &meta)
	}
	if meta.Kind == "" {
		meta.Kind = "object"
	}
	return meta.Kind + "-" + meta.Metadata.Name
}

// summaries describes certificates for the bundle.
func summaries(certs []*x509.Certificate) []trust.Summary {
	out := make([]trust.Summary, len(certs))
	for i, c := range certs {
		out[i] = trust.Summarize(c)
	}
	return out
}

// CertChain is evidence of a certificate chain: summaries in JSON and the bundle, one line of
// subject and fingerprint per certificate in text.
type CertChain []trust.Summary

func (c CertChain) String() string {
	parts := make([]string, len(c))
	for i, s := range c {
		parts[i] = fmt.Sprintf("%s (sha256 %s)", s.Subject, s.Fingerprint)
	}
	return strings.Join(parts, "; ")
}

// FromReport takes from the report what its checks saw and a bundle keeps: the token's redacted claims
// (TOKEN-OBTAINED) and the IdP's certificate chain (IDP-DISCOVERY).
func (b *Bundle) FromReport(r Report) {
	for _, o := range r.Outcomes {
		switch o.ID {
		case IDTokenObtained:
			if v := o.Evidence.Get("claims"); v != nil {
				b.Claims = v
			}
		case IDIdPDiscovery:
			if chain, ok := o.Evidence.Get("chain").(CertChain); ok {
				if b.Certificates == nil {
					b.Certificates = map[string][]trust.Summary{}
				}
				b.Certificates["IdP chain"] = chain
			}
		}
	}
}
