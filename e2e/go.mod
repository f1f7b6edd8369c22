module github.com/projectcapsule/kubectl-capsule-headlamp/e2e

go 1.26.0
