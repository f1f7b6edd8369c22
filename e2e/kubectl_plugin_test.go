package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKubectlFindsThePlugin runs the plugin the way users do: through kubectl's plugin lookup, with
// the binary on PATH under the name kubectl maps `capsule-headlamp` to.
func TestKubectlFindsThePlugin(t *testing.T) {
	env := []string{
		"PATH=" + filepath.Dir(pluginBinary(t)) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"KUBECONFIG=" + sb.AdminKubeconfig(),
	}
	kubectl := func(args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), sb.KubectlPath(), args...)
		cmd.Env = env
		out, err := cmd.Output()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, exitErr.Stderr)
		} else if err != nil {
			t.Fatalf("kubectl %s: %v", strings.Join(args, " "), err)
		}
		return out
	}

	if list := kubectl("plugin", "list", "--name-only"); !strings.Contains(string(list), "kubectl-capsule_headlamp") {
		t.Errorf("kubectl plugin list does not show the plugin:\n%s", list)
	}
	out := kubectl("capsule-headlamp", "version", "-o", "json")
	var report struct {
		ClientVersion struct{ Version string }    `json:"clientVersion"`
		ServerVersion struct{ GitVersion string } `json:"serverVersion"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if report.ClientVersion.Version == "" || !strings.HasPrefix(report.ServerVersion.GitVersion, "v1.37") {
		t.Errorf("unexpected versions through kubectl: %s", out)
	}
}
