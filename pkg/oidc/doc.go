// Package oidc checks an OpenID Connect identity the way Headlamp and the Kubernetes API server will
// see it: issuer discovery and key sets over an HTTP client that trusts exactly what a given party
// trusts, tokens from a file, a password grant or a browser sign-in, signature and claim verification
// against a given clock, and the username and groups that claim mappings make of a token.
//
// Tokens, passwords and client secrets travel as Secret values, which never print: no function of this
// package writes, logs or returns in an error the bytes of a credential.
package oidc
