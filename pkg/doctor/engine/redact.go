package engine

import (
	"encoding/json"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
)

// redacted returns the outcome as every renderer, the bundle and the checks depending on it see it:
// without the user info of any URL it quotes. Such URLs come from the cluster (Headlamp's issuer or
// callback flags, the kubeconfig's server) and from errors quoting them; a password in one must not
// reach a report.
func (o Outcome) redacted() Outcome {
	o.Message, o.Hint, o.Missing = redact.URLs(o.Message), redact.URLs(o.Hint), redact.URLs(o.Missing)
	o.Skip.Cause, o.Skip.Missing = redact.URLs(o.Skip.Cause), redact.URLs(o.Skip.Missing)
	if o.Vars != nil {
		vars := make(map[string]string, len(o.Vars))
		for k, v := range o.Vars {
			vars[k] = redact.URLs(v)
		}
		o.Vars = vars
	}
	if o.Evidence != nil {
		ev := make(Evidence, len(o.Evidence))
		for i, it := range o.Evidence {
			ev[i] = Item{Key: it.Key, Value: redactedValue(it.Value)}
		}
		o.Evidence = ev
	}
	return o
}

// redactedValue hides user info in an evidence value. A value of another type than string or
// []string that quotes such a URL, as text or as JSON, is replaced by its redacted text.
func redactedValue(v any) any {
	switch t := v.(type) {
	case string:
		return redact.URLs(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = redact.URLs(s)
		}
		return out
	}
	text := fmt.Sprint(v)
	data, err := json.Marshal(v)
	if redact.URLs(text) != text || err == nil && redact.URLs(string(data)) != string(data) {
		return redact.URLs(text)
	}
	return v
}
