// Package install puts Headlamp behind capsule-proxy into a cluster and takes it out again:
// a preflight that reads what the objects need and what doctor's pre-install checks judge (Options.Check
// decides whether to write: a *CheckError writes nothing unless Force), server-side apply of the
// objects pkg/headlamp builds, a wait with kstatus-style readiness and progress, and uninstall of
// exactly the objects the plugin manages.
package install
