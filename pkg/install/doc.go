// Package install puts Headlamp behind capsule-proxy into a cluster and takes it out again:
// preflight checks that list every problem before anything is written, server-side apply of the
// objects pkg/headlamp builds, a wait with kstatus-style readiness and progress, and uninstall of
// exactly the objects the plugin manages.
package install
