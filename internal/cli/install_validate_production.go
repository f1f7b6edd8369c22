package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/distribution/reference"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// production checks the flags of the production options and sets them in s.
func (o *installOptions) production(s *headlamp.Settings) []error {
	f := &o.flags
	var errs []error
	bad := func(flag string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s %w", flag, err))
		}
	}
	bad("image", imageReference(f.image))
	// An empty value removes them all from an installed Headlamp: --image-pull-secret "".
	s.ImagePullSecrets = withoutEmpty(f.imagePullSecrets)
	for _, name := range s.ImagePullSecrets {
		bad("image-pull-secret", dnsSubdomain(name))
	}
	requests, err := parseResources(f.requests)
	bad("requests", err)
	limits, err := parseResources(f.limits)
	bad("limits", err)
	o.input.ResourceFlags = headlamp.Resources{Requests: requests, Limits: limits}
	s.Resources = headlamp.DefaultResources().Overlay(o.input.ResourceFlags)
	if f.networkPolicy {
		s.NetworkPolicy = &headlamp.NetworkPolicy{}
	}
	s.TenantAccess = withoutEmpty(f.tenantAccess)
	for _, g := range s.TenantAccess {
		if strings.TrimSpace(g) != g {
			errs = append(errs, fmt.Errorf("--tenant-access %q: a group name has no surrounding spaces", g))
		}
	}
	return append(errs, o.gateway(s)...)
}

// imageReference accepts what a container runtime pulls: [registry/]repository[:tag][@digest], the
// repository in lower case.
func imageReference(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	if _, err := reference.ParseNormalizedNamed(v); err != nil {
		return fmt.Errorf("%q is not an image reference (like ghcr.io/headlamp-k8s/headlamp:v0.45.0): %w", v, err)
	}
	return nil
}

// parseResources reads cpu=...,memory=... (ephemeral-storage too); "" is no change.
func parseResources(v string) (corev1.ResourceList, error) {
	if v == "" {
		return nil, nil
	}
	list := corev1.ResourceList{}
	for _, item := range strings.Split(v, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(item), "=")
		rn := corev1.ResourceName(name)
		switch {
		case !ok:
			return nil, fmt.Errorf("%q: give NAME=QUANTITY pairs separated by commas, like cpu=100m,memory=128Mi", item)
		case rn != corev1.ResourceCPU && rn != corev1.ResourceMemory && rn != corev1.ResourceEphemeralStorage:
			return nil, fmt.Errorf("%q: the resources are cpu, memory and ephemeral-storage", name)
		}
		q, err := resource.ParseQuantity(value)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s=%q is not a quantity (like 100m, 0.5 or 128Mi): %w", name, value, err)
		case q.Sign() <= 0:
			return nil, fmt.Errorf("%s=%s must be more than zero", name, value)
		}
		list[rn] = q
	}
	return list, nil
}

// gateway reads --gateway NAMESPACE/NAME and --gateway-host, the alternative to --ingress-host.
func (o *installOptions) gateway(s *headlamp.Settings) []error {
	f := &o.flags
	switch {
	case f.gateway == "" && f.gatewayHost == "":
		return nil
	case f.gateway == "" || f.gatewayHost == "":
		return []error{errors.New("--gateway and --gateway-host go together")}
	case f.ingressHost != "":
		return []error{errors.New("--gateway and --ingress-host exclude each other: expose Headlamp through one of them")}
	}
	var errs []error
	ns, name, ok := strings.Cut(f.gateway, "/")
	if !ok {
		errs = append(errs, fmt.Errorf("--gateway %q: give NAMESPACE/NAME", f.gateway))
	} else {
		if err := dnsLabel(ns); err != nil {
			errs = append(errs, fmt.Errorf("--gateway namespace %w", err))
		}
		if err := dnsSubdomain(name); err != nil {
			errs = append(errs, fmt.Errorf("--gateway name %w", err))
		}
	}
	if err := dnsSubdomain(f.gatewayHost); err != nil {
		errs = append(errs, fmt.Errorf("--gateway-host %w", err))
	}
	s.Gateway = &headlamp.Gateway{Namespace: ns, Name: name, Host: f.gatewayHost}
	return errs
}

// withoutEmpty drops empty values; nil when none is left.
func withoutEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
