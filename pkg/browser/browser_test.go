package browser

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestArgv(t *testing.T) {
	const url = "http://localhost:8080/oidc?cluster=main&x=1"
	tests := []struct {
		command string
		want    []string
	}{
		{"firefox", []string{"firefox", url}},
		{"firefox --new-window", []string{"firefox", "--new-window", url}},
		{"open -a 'Google Chrome'", []string{"open", "-a", "Google Chrome", url}},
		{`"/opt/my browser/run" --url=%s --private`, []string{"/opt/my browser/run", "--url=" + url, "--private"}},
		{"lynx %s 100%%", []string{"lynx", url, "100%"}},
		{`echo a\ b "c\"d" 50%`, []string{"echo", "a b", `c"d`, "50%", url}},
		{"  ", nil},
	}
	for _, tt := range tests {
		got, err := Argv(tt.command, url)
		if err != nil {
			t.Errorf("Argv(%q) error = %v", tt.command, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Argv(%q) = %q, want %q", tt.command, got, tt.want)
		}
	}
}

func TestArgvRejectsBrokenQuoting(t *testing.T) {
	for _, c := range []string{`firefox "unterminated`, `firefox 'x`, `firefox \`} {
		if _, err := Argv(c, "http://x"); err == nil {
			t.Errorf("Argv(%q) accepted broken quoting", c)
		}
	}
}

func TestSystemPrefersBROWSER(t *testing.T) {
	env := map[string]string{"BROWSER": " my-browser --flag "}
	if got, ok := System(func(k string) string { return env[k] }).(EnvCommand); !ok || got != "my-browser --flag" {
		t.Errorf("System() with $BROWSER = %#v, want EnvCommand(\"my-browser --flag\")", got)
	}
	if _, ok := System(func(string) string { return "" }).(platform); !ok {
		t.Errorf("System() without $BROWSER is not the platform opener")
	}
}

func TestLauncherFunc(t *testing.T) {
	var got string
	want := errors.New("no display")
	l := LauncherFunc(func(_ context.Context, url string) error { got = url; return want })
	if err := l.Open(t.Context(), "http://x"); !errors.Is(err, want) || got != "http://x" {
		t.Errorf("LauncherFunc.Open = %v with url %q", err, got)
	}
}
