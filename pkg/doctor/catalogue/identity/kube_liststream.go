package identity

import (
	"encoding/json"
	"fmt"
	"io"
)

// eachListItem walks a list object as it arrives (`{"kind":...,"items":[...],...}`, keys in any
// order) and lets decodeItem read each element of items from dec. Decoding item by item holds one
// object at a time instead of the whole answer (BenchmarkTenantOwners, a 1 MB list: 0.5 MB allocated
// instead of 2.6 MB, and a sixth less time).
func eachListItem(r io.Reader, decodeItem func(dec *json.Decoder) error) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key != "items" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if err := eachArrayElement(dec, decodeItem); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// eachArrayElement reads a JSON array (or null) from dec, element by element.
func eachArrayElement(dec *json.Decoder, decodeItem func(dec *json.Decoder) error) error {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("items is %v, not an array", tok)
	}
	for dec.More() {
		if err := decodeItem(dec); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("found %v where %v was expected", tok, want)
	}
	return nil
}
