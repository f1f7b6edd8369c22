// Package headlamp is the single model of a Headlamp deployment behind capsule-proxy.
//
// Settings describe such a deployment in typed form. Build turns Settings (plus the secret material
// that must never be printed) into the Kubernetes objects install applies; Parse reads a Deployment,
// ours or one made by the official Headlamp chart, back into Settings and records where each setting
// comes from, so that doctor and login read the same model install writes. Parsing never talks to the
// cluster; Resolve fills in the values that live in Secrets and ConfigMaps through a small getter.
package headlamp
