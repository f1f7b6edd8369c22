// Package output prints structured data as JSON or YAML, the machine-readable forms selected with -o.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/yaml"
)

// Format is the value of an -o/--output flag.
type Format string

// The formats every command with data output accepts; commands may accept more.
const (
	Text Format = ""
	JSON Format = "json"
	YAML Format = "yaml"
)

// Parse checks an -o value against the formats a command accepts.
func Parse(s string, accepted ...Format) (Format, error) {
	for _, f := range accepted {
		if Format(s) == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("unsupported output format %q: use %s", s, list(accepted))
}

// Print writes v to w as JSON (indented, with a final newline, HTML characters as they are) or YAML.
// It is the plugin's one encoder for structured output.
func Print(w io.Writer, f Format, v any) error {
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		return nil
	case YAML:
		data, err := yaml.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode yaml: %w", err)
		}
		_, err = w.Write(data)
		return err
	}
	return fmt.Errorf("print %q: not a structured output format", f)
}

func list(formats []Format) string {
	var names []string
	for _, f := range formats {
		if f != Text {
			names = append(names, string(f))
		}
	}
	s := strings.Join(names, " or ")
	if len(names) < len(formats) {
		s += " (or no -o for text)"
	}
	return s
}
