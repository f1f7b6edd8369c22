package cli

import (
	"bytes"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(t.Context(), append([]string{"--state", t.TempDir()}, args...), Streams{Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func TestCommandsWithoutARunningSandbox(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    int
		errPart string
	}{
		{nil, 2, "usage: sandbox"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"status"}, 1, "no sandbox is running"},
		{[]string{"env"}, 1, "no sandbox is running"},
		{[]string{"token"}, 2, "sandbox token --out FILE"},
		{[]string{"token", "--out", "/dev/null"}, 1, "no sandbox is running"},
		{[]string{"kubeconfig", "--out", "/dev/null"}, 1, "no sandbox is running"},
		{[]string{"down"}, 0, "not running"},
		{[]string{"up", "extra"}, 2, "takes no arguments"},
	} {
		code, out, errOut := run(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.errPart) || out != "" {
			t.Errorf("sandbox %v: exit %d, stdout %q, stderr %q; want exit %d and %q on stderr",
				tc.args, code, out, errOut, tc.code, tc.errPart)
		}
	}
}
