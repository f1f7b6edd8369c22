package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

const completionLong = `Print a shell completion script for kubectl-capsule_headlamp.

Under kubectl (1.26 or newer), completion of "kubectl capsule-headlamp ..." works once an executable
named kubectl_complete-capsule_headlamp is on your PATH and calls the plugin's __complete command.
The repository ships one (scripts/kubectl_complete-capsule_headlamp); to create it yourself:

  cat > ~/.local/bin/kubectl_complete-capsule_headlamp <<'SH'
  #!/usr/bin/env sh
  exec kubectl capsule-headlamp __complete "$@"
  SH
  chmod +x ~/.local/bin/kubectl_complete-capsule_headlamp

The scripts printed here complete the plugin binary when it is run directly.`

func newCompletionCmd(root *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long:  completionLong,
		Example: `  # Load completion for the current bash session
  source <(kubectl-capsule_headlamp completion bash)

  # Install it for zsh
  kubectl-capsule_headlamp completion zsh > "${fpath[1]}/_kubectl-capsule_headlamp"`,
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeCompletion(cmd.Root(), args[0], root.streams.Out)
		},
	}
}

func writeCompletion(root *cobra.Command, shell string, w io.Writer) error {
	var err error
	switch shell {
	case "bash":
		err = root.GenBashCompletionV2(w, true)
	case "zsh":
		err = root.GenZshCompletion(w)
	case "fish":
		err = root.GenFishCompletion(w, true)
	case "powershell":
		err = root.GenPowerShellCompletionWithDesc(w)
	default:
		return usageErrorf("unsupported shell %q: use bash, zsh, fish or powershell", shell)
	}
	if err != nil {
		return fmt.Errorf("write %s completion: %w", shell, err)
	}
	return nil
}
