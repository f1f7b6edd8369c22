package headlamp

import (
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"
)

// tenantRole lets tenants read exactly what `kubectl capsule-headlamp login` reads to find Headlamp
// and check its redirect URI, each object by name: the Deployment, its Service, the Ingress or
// HTTPRoute in front of it, the OIDC settings and the IdP CA. Never the Secret with the client
// secret, and no list (which cannot be limited to names): login falls back to these names when it
// may not list. No port-forward either: tenants reach Headlamp through the Ingress or route.
func tenantRole(s Settings) *rbacv1ac.RoleApplyConfiguration {
	configMaps := []string{ConfigMapName(s.Name)}
	if s.OIDC.CA != nil {
		configMaps = append(configMaps, IDPCAConfigMapName(s.Name))
	}
	get := func(group, resource string, names ...string) *rbacv1ac.PolicyRuleApplyConfiguration {
		return rbacv1ac.PolicyRule().WithAPIGroups(group).WithResources(resource).WithVerbs("get").WithResourceNames(names...)
	}
	// Both ways in, whichever exists: login looks for each, and the Role stays as it is when the
	// installation moves from an Ingress to a route.
	return rbacv1ac.Role(TenantAccessName(s.Name), s.Namespace).WithLabels(Labels(s)).WithRules(
		get("apps", "deployments", s.Name),
		get("", "services", s.Name),
		get("", "configmaps", configMaps...),
		get("networking.k8s.io", "ingresses", s.Name),
		get(GatewayGroup, HTTPRouteGVR.Resource, s.Name))
}

// tenantRoleBinding grants tenantRole to the groups of Settings.TenantAccess.
func tenantRoleBinding(s Settings) *rbacv1ac.RoleBindingApplyConfiguration {
	rb := rbacv1ac.RoleBinding(TenantAccessName(s.Name), s.Namespace).WithLabels(Labels(s)).
		WithRoleRef(rbacv1ac.RoleRef().WithAPIGroup(rbacv1.GroupName).WithKind("Role").WithName(TenantAccessName(s.Name)))
	for _, g := range s.TenantAccess {
		rb.WithSubjects(rbacv1ac.Subject().WithKind(rbacv1.GroupKind).WithAPIGroup(rbacv1.GroupName).WithName(g))
	}
	return rb
}

// TenantGroups reads the groups a tenant access RoleBinding grants, sorted.
func TenantGroups(rb *rbacv1.RoleBinding) []string {
	var groups []string
	for _, sub := range rb.Subjects {
		if sub.Kind == rbacv1.GroupKind && !slices.Contains(groups, sub.Name) {
			groups = append(groups, sub.Name)
		}
	}
	slices.Sort(groups)
	return groups
}
