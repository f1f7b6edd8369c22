package oidc

import (
	"fmt"
	"strings"
)

// redacted is what a Secret prints as, whatever the verb.
const redacted = "[redacted]"

// Secret holds a credential: a token, a password or a client secret. It prints as [redacted] with
// every fmt verb and in JSON or YAML, so a credential cannot leak into a report or a log by accident;
// Reveal is the only way to the value, for the one place that must send it.
type Secret struct{ value string }

// NewSecret wraps a credential. A UTF-8 byte-order mark (some editors write one) and surrounding white
// space (a file's final newline) are dropped: every reader of credentials goes through here, so a
// secret means the same whether it came from a file, standard input, the environment or a prompt.
func NewSecret(value string) Secret {
	return Secret{value: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(value), "\ufeff"))}
}

// Reveal returns the credential itself: use it only to put it on the wire.
func (s Secret) Reveal() string { return s.value }

// IsZero tells whether the secret is empty.
func (s Secret) IsZero() bool { return s.value == "" }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v) without revealing the value.
func (s Secret) GoString() string { return "oidc.Secret{" + redacted + "}" }

// Format makes every verb (%x and %q included) print the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, s.GoString())
		return
	}
	_, _ = fmt.Fprint(f, redacted)
}

// MarshalText keeps the value out of JSON, YAML and text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
