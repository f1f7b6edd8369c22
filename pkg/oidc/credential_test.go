package oidc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadCredentialFile: files and standard input are read the same way, whatever the credential: one
// size limit, the byte-order mark and surrounding white space dropped, nothing but white space empty,
// and no error quotes the content.
func TestReadCredentialFile(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const secret = "s3cr3t-value"
	cases := []struct {
		name    string
		path    string
		stdin   string
		want    string
		wantErr error
		says    string
	}{
		{"plain", file("plain", secret), "", secret, nil, ""},
		{"final newline", file("newline", secret+"\n"), "", secret, nil, ""},
		{"CRLF and spaces", file("crlf", "  "+secret+" \r\n"), "", secret, nil, ""},
		{"byte-order mark", file("bom", "\ufeff"+secret+"\r\n"), "", secret, nil, ""},
		{"standard input", "-", secret + "\n", secret, nil, ""},
		{"standard input with a byte-order mark", "-", "\ufeff" + secret, secret, nil, ""},
		{"empty", file("empty", ""), "", "", ErrEmptyCredential, "file " + dir + "/empty is empty"},
		{"only white space", file("blank", " \t\r\n"), "", "", ErrEmptyCredential, "holds only white space"},
		{"only a byte-order mark", file("bomonly", "\ufeff\n"), "", "", ErrEmptyCredential, ""},
		{"blank standard input", "-", "\n\n", "", ErrEmptyCredential, "standard input is empty"},
		{"too large", file("large", strings.Repeat(secret, MaxCredential/len(secret)+1)), "", "", ErrTooLarge, "larger than 64 KiB"},
		{"exactly the limit", file("limit", strings.Repeat("x", MaxCredential)), "", strings.Repeat("x", MaxCredential), nil, ""},
		{"folder", dir, "", "", nil, "is a folder"},
		{"missing", filepath.Join(dir, "missing"), "", "", os.ErrNotExist, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCredentialFile(tc.path, strings.NewReader(tc.stdin))
			if tc.want != "" {
				if err != nil || got.Reveal() != tc.want {
					t.Fatalf("ReadCredentialFile() = %d bytes, %v; want %d bytes", len(got.Reveal()), err, len(tc.want))
				}
				return
			}
			if err == nil {
				t.Fatal("ReadCredentialFile() read a credential")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v is not %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), secret) {
				t.Errorf("error %q, want it to say %q and never the content", err, tc.says)
			}
		})
	}
	if _, err := ReadCredentialFile("-", nil); err == nil || !strings.Contains(err.Error(), "no standard input") {
		t.Errorf("no standard input: %v", err)
	}
}
