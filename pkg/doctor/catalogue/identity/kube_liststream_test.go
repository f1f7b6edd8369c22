package identity

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// eachListItem hands over every element of items whatever the order of the list's keys, reads a list
// without items as empty, and reports a list that is not one, or is cut short, as an error.
func TestEachListItem(t *testing.T) {
	names := func(body string) ([]string, error) {
		var got []string
		err := eachListItem(strings.NewReader(body), func(dec *json.Decoder) error {
			var it struct{ Name string }
			err := dec.Decode(&it)
			got = append(got, it.Name)
			return err
		})
		return got, err
	}
	for _, tc := range []struct {
		body    string
		want    []string
		wantErr string
	}{
		{`{"kind":"List","metadata":{"resourceVersion":"7"},"items":[{"name":"a"},{"name":"b","x":[1,{}]}]}`, []string{"a", "b"}, ""},
		{`{"items":[{"name":"a"}],"metadata":{"continue":""},"kind":"List"}`, []string{"a"}, ""},
		{`{"kind":"List","items":null}`, nil, ""},
		{`{"kind":"List"}`, nil, ""},
		{`{"items":{"name":"a"}}`, nil, "not an array"},
		{`[{"name":"a"}]`, nil, "where { was expected"},
		{`{"items":[{"name":"a"},{"na`, []string{"a", ""}, "unexpected EOF"},
		{``, nil, "EOF"},
	} {
		got, err := names(tc.body)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: error %v, want %q", tc.body, err, tc.wantErr)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: items %q, want %q", tc.body, got, tc.want)
		}
	}
}
