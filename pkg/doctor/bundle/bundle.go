// Package bundle writes doctor's support bundle: a gzipped tar of the JSON report, redacted claims,
// certificate summaries, scrubbed specs, pod statuses, events and versions, and an errors file that
// lists what could not be collected. Nothing in it is a credential: objects are scrubbed, claims are
// the redacted view, certificates are summaries, and a Secret's key is never read.
package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// Bundle is what `doctor --bundle` packs for a support request.
type Bundle struct {
	Report engine.Report
	Chain  []chain.Hop
	// Claims is the redacted claims view of the user's token, or nil without one.
	Claims       any
	Certificates map[string][]trust.Summary
	Objects      []any // Deployments and Services, scrubbed
	// Rollouts is each Deployment's rollout status by the one readiness rule, keyed "namespace/name".
	Rollouts map[string]kube.Rollout
	Pods     map[string][]PodStatus
	Events   map[string][]EventLine
	Versions map[string]string
	// Errors lists, one line each, what could not be collected: a partial bundle still helps.
	Errors  []string
	Created time.Time
}

// Write writes b as a gzipped tar of JSON and YAML files, each of mode 0600.
func Write(w io.Writer, b Bundle) error {
	var report bytes.Buffer
	if err := render.WriteJSON(&report, b.Report, b.Chain); err != nil {
		return err
	}
	files := []file{{"report.json", report.Bytes()}}
	for _, p := range b.parts() {
		var data bytes.Buffer
		if err := output.Print(&data, output.JSON, p.v); err != nil {
			return fmt.Errorf("encode %s: %w", p.name, err)
		}
		files = append(files, file{p.name, data.Bytes()})
	}
	for i, obj := range b.Objects {
		data, err := yaml.Marshal(obj)
		if err != nil {
			return fmt.Errorf("encode object %d: %w", i, err)
		}
		files = append(files, file{fmt.Sprintf("objects/%02d-%s.yaml", i, objectName(obj)), data})
	}
	return writeTarGz(w, files, b.Created)
}

// part is one JSON file of the bundle.
type part struct {
	name string
	v    any
}

// parts are the JSON files besides the report: those collected, and always the errors file, so that
// an empty one says nothing was missed.
func (b Bundle) parts() []part {
	var ps []part
	add := func(name string, v any, present bool) {
		if present {
			ps = append(ps, part{name, v})
		}
	}
	add("claims.json", b.Claims, b.Claims != nil)
	add("certificates.json", b.Certificates, b.Certificates != nil)
	add("rollouts.json", b.Rollouts, b.Rollouts != nil)
	add("pods.json", b.Pods, b.Pods != nil)
	add("events.json", b.Events, b.Events != nil)
	add("versions.json", b.Versions, b.Versions != nil)
	add("errors.json", append([]string{}, b.Errors...), true)
	return ps
}

type file struct {
	name string
	data []byte
}

func writeTarGz(w io.Writer, files []file, mtime time.Time) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		f.data = []byte(redact.URLs(string(f.data))) // no URL's user info: specs quote Headlamp's flags
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
