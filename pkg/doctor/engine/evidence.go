package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Item is one key/value of evidence.
type Item struct {
	Key   string
	Value any
}

// String renders the value for text output: lists joined with ", ".
func (it Item) String() string {
	switch v := it.Value.(type) {
	case string:
		return v
	case []string:
		return strings.Join(v, ", ")
	default:
		return fmt.Sprint(v)
	}
}

// Evidence is an ordered list of key/values; in JSON it is an object whose keys keep that order.
type Evidence []Item

// Get returns the value of key, or nil.
func (e Evidence) Get(key string) any {
	for _, it := range e {
		if it.Key == key {
			return it.Value
		}
	}
	return nil
}

// MarshalJSON writes the evidence as a JSON object in insertion order.
func (e Evidence) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, it := range e {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(it.Key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(it.Value)
		if err != nil {
			return nil, fmt.Errorf("encode evidence %q: %w", it.Key, err)
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// listShown is how many items of a list one line of text shows in full; a longer list shows its first
// few and how many more there are.
const (
	listShown = 10
	listFirst = 5
)

// Summarize joins a list for one line of text: all of it when short, else the first few and the count
// ("a, b, c, d, e and 1995 more (2000 in all)"). Evidence keeps the whole list for JSON.
func Summarize(items []string) string {
	if len(items) <= listShown {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more (%d in all)", strings.Join(items[:listFirst], ", "), len(items)-listFirst, len(items))
}

// Table is evidence that text output prints as a table under its check, whatever the check's status:
// for a finding whose every row matters to the reader (what a user may see, view by view). JSON
// output encodes the value itself.
type Table interface {
	// TableRows returns the column headings and the rows, each as long as the headings.
	TableRows() (header []string, rows [][]string)
}
