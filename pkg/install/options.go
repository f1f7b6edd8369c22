package install

import (
	"fmt"
	"io"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// DryRun is the value of --dry-run.
type DryRun string

// The dry-run modes, as in kubectl: client writes nothing and only builds; server sends every
// write with dryRun=All, so admission and validation run but nothing is stored.
const (
	DryRunNone   DryRun = "none"
	DryRunClient DryRun = "client"
	DryRunServer DryRun = "server"
)

// ParseDryRun checks a --dry-run value.
func ParseDryRun(s string) (DryRun, error) {
	switch d := DryRun(s); d {
	case DryRunNone, DryRunClient, DryRunServer:
		return d, nil
	case "":
		return DryRunNone, nil
	default:
		return "", fmt.Errorf("invalid dry-run mode %q: use none, client or server", s)
	}
}

// Writes reports whether the mode stores anything.
func (d DryRun) Writes() bool { return d == DryRunNone || d == "" }

// Options are the typed input of Install.
type Options struct {
	Settings headlamp.Settings
	// ClientSecret is the OIDC client secret; it goes into the Secret only.
	ClientSecret string
	// IDPCA is the PEM of a private IdP CA, when Settings.OIDC.CA is set.
	IDPCA []byte
	// IDPCAErr is why the --oidc-ca-file given could not be taken (too large, no certificate): the
	// pre-install checks report it, and nothing is written.
	IDPCAErr error
	// ProxyCAKey is the key of the proxy Secret that holds the CA; empty detects ca.crt, then ca.
	ProxyCAKey string
	// ProxyCABundle is a trust-manager bundle ConfigMap to use instead of a copy of the CA when
	// Headlamp lives in another namespace than the proxy.
	ProxyCABundle *headlamp.KeyRef

	// ResourceFlags are the requests and limits named on the command line: they replace the
	// installed (or default) ones of the same names, and only those.
	ResourceFlags headlamp.Resources
	// Current is the installation this one replaces, as ReadCurrent found it; nil for a new one.
	// Preflight counts the resources its pods give back before the new ones start.
	Current *Current

	DryRun DryRun
	// Check judges the installation before anything is written (doctor's pre-install checks); nil
	// writes unchecked. It is not called for a client dry run, which stays offline.
	Check Checker
	// Force writes even when Check found problems.
	Force bool
	// ForceConflicts takes over fields and objects another manager owns.
	ForceConflicts bool
	// Wait for the Deployment to be available, at most Timeout.
	Wait    bool
	Timeout time.Duration

	// Progress receives status lines; Terminal switches on a spinner.
	Progress io.Writer
	Terminal bool
}
