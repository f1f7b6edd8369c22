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

// Print writes v to w as JSON (indented, with a final newline) or YAML.
func Print(w io.Writer, f Format, v any) error {
	var (
		data []byte
		err  error
	)
	switch f {
	case JSON:
		data, err = json.MarshalIndent(v, "", "  ")
		data = append(data, '\n')
	case YAML:
		data, err = yaml.Marshal(v)
	default:
		return fmt.Errorf("print %q: not a structured output format", f)
	}
	if err != nil {
		return fmt.Errorf("encode %s: %w", f, err)
	}
	_, err = w.Write(data)
	return err
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
