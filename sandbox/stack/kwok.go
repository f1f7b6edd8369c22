package stack

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// kwokOptions: a supplied KwokConfiguration gets no defaults, so the parallelism fields are copied
// from KWOK's own default configuration; debugging handlers are what serve port-forward. Node leases
// are off (duration 0): with leases, a restarted KWOK leaves the node's pods alone until the previous
// instance's lease expires, and nothing in the sandbox watches leases (no node lifecycle controller).
const kwokOptions = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  enableDebuggingHandlers: true
  enablePodsOnNodeSyncStreamWatch: true
  nodeLeaseParallelism: 4
  podPlayStageParallelism: 4
  nodePlayStageParallelism: 4
  nodeLeaseDurationSeconds: 0
`

// kwokForwards sends every KWOK pod's port 9001 to the capsule-proxy stand-in (KWOK selects pods by
// namespace and name only, not labels, so the mapping is by port). Each Headlamp pod gets its own
// PortForward object from the pod runtime, to its own container.
var kwokForwards = fmt.Sprintf(`apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterPortForward
metadata:
  name: sandbox-standins
spec:
  forwards:
  - ports: [%d]
    target: {port: %d, address: %s}
`, ProxyPort, ProxyPort, Host)

// kwokCRDs are the KWOK kinds read from the API (the others come from the configuration file): the pod
// runtime creates one of each per stand-in pod.
const kwokCRDs = "PortForward,Logs"

// writeKwokConfig puts the configuration, the stock stages and the port forwards in one file, so
// KWOK needs none of its CRDs.
func (s *Stack) writeKwokConfig() error {
	docs := [][]byte{[]byte(kwokOptions), []byte(kwokForwards)}
	stages, err := filepath.Glob(filepath.Join(s.bins["kwok"], "stages", "*.yaml"))
	if err != nil || len(stages) == 0 {
		return fmt.Errorf("no KWOK stages in %s: remove that folder to rebuild it", s.bins["kwok"])
	}
	slices.Sort(stages)
	for _, f := range stages {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read KWOK stage: %w", err)
		}
		docs = append(docs, b)
	}
	data := bytes.Join(docs, []byte("\n---\n"))
	if err := os.WriteFile(s.layout.Path("kwok", "kwok.yaml"), data, 0o600); err != nil {
		return fmt.Errorf("write KWOK config: %w", err)
	}
	return nil
}

// writeCapsuleWebhookCert gives Capsule's webhook server a certificate: the webhooks stay unwired,
// but the server refuses to start without one.
func writeCapsuleWebhookCert(l Layout) error {
	data, err := os.ReadFile(l.PKI("capsule-webhook.crt"))
	if err != nil {
		return fmt.Errorf("read capsule webhook cert: %w", err)
	}
	key, err := os.ReadFile(l.PKI("capsule-webhook.key"))
	if err != nil {
		return fmt.Errorf("read capsule webhook key: %w", err)
	}
	if err := os.WriteFile(l.Path("capsule", "tls.crt"), data, 0o644); err != nil {
		return fmt.Errorf("write capsule webhook cert: %w", err)
	}
	return os.WriteFile(l.Path("capsule", "tls.key"), key, 0o600)
}
