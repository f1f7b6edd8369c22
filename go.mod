module github.com/projectcapsule/kubectl-capsule-headlamp

go 1.26
