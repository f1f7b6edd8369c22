package headlamp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// HelmValues renders a values file for the official Headlamp chart that yields the same pod as
// Build: no cluster-admin binding, the OIDC settings read from our ConfigMap and the client secret
// from our Secret through HEADLAMP_CONFIG_* env entries (the chart would otherwise want them as
// literals), capsule-proxy's CA and a token no API server accepts projected into the service account
// folder, the restricted security context, pull secrets, resources, and the Ingress or HTTPRoute.
// The header says which objects to create beside it, including those the chart has no value for
// (the NetworkPolicy and the tenants' Role and RoleBinding).
func HelmValues(s Settings) ([]byte, error) {
	if s.Proxy.CA == nil {
		return nil, fmt.Errorf("render Helm values: the proxy CA source is not decided (call TrustProxyCA)")
	}
	pod, err := toMap(podSpec(s))
	if err != nil {
		return nil, fmt.Errorf("render Helm values: %w", err)
	}
	c := pod["containers"].([]any)[0].(map[string]any)
	values := map[string]any{
		"fullnameOverride":             s.Name,
		"replicaCount":                 s.Replicas,
		"image":                        helmImage(s.Image),
		"serviceAccount":               map[string]any{"create": true, "name": s.ServiceAccount},
		"automountServiceAccountToken": false,
		"clusterRoleBinding":           map[string]any{"create": false},
		"config": map[string]any{
			"inCluster":            true,
			"inClusterContextName": s.InClusterContextName,
			"baseURL":              s.BaseURL,
			"oidc":                 map[string]any{"secret": map[string]any{"create": false}},
			"extraArgs":            args(s)[2:], // the chart writes -in-cluster and the context name itself
		},
		"env":                c["env"],
		"podSecurityContext": pod["securityContext"],
		"securityContext":    c["securityContext"],
		// The chart mounts its own emptyDir on /tmp when the root filesystem is read-only.
		"volumes":      withoutTmp(pod["volumes"]),
		"volumeMounts": withoutTmp(c["volumeMounts"]),
	}
	if s.Ingress != nil {
		values["ingress"] = helmIngress(s)
	}
	if s.Gateway != nil {
		values["httpRoute"] = helmHTTPRoute(s)
	}
	if len(s.ImagePullSecrets) > 0 {
		values["imagePullSecrets"] = pod["imagePullSecrets"]
	}
	if r, ok := c["resources"].(map[string]any); ok && len(r) > 0 {
		values["resources"] = r
	}
	body, err := yaml.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("render Helm values: %w", err)
	}
	return append([]byte(helmHeader(s)), body...), nil
}

func toMap(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(data, &m)
}

func withoutTmp(list any) []any {
	var keep []any
	for _, item := range list.([]any) {
		if item.(map[string]any)["name"] != volumeTmp {
			keep = append(keep, item)
		}
	}
	return keep
}

// helmImage splits registry/repository:tag the way the chart's image values want it.
func helmImage(image string) map[string]any {
	repo, tag := image, ""
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		repo, tag = image[:i], image[i+1:]
	}
	registry, rest, found := strings.Cut(repo, "/")
	if !found || !strings.ContainsAny(registry, ".:") {
		registry, rest = "docker.io", repo
	}
	return map[string]any{"registry": registry, "repository": rest, "tag": tag}
}

// helmHTTPRoute is the chart's httpRoute values; its default rule sends / to the Service, so a rule
// is given only for a base URL.
func helmHTTPRoute(s Settings) map[string]any {
	gw := s.Gateway
	route := map[string]any{
		"enabled":    true,
		"parentRefs": []any{map[string]any{"name": gw.Name, "namespace": gw.Namespace}},
		"hostnames":  []any{gw.Host},
	}
	if s.BaseURL != "" {
		route["rules"] = []any{map[string]any{
			"matches":     []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": s.BaseURL}}},
			"backendRefs": []any{map[string]any{"name": s.Name, "port": ServicePort}},
		}}
	}
	return route
}

func helmIngress(s Settings) map[string]any {
	path := s.BaseURL
	if path == "" {
		path = "/"
	}
	in := map[string]any{
		"enabled": true,
		"hosts":   []any{map[string]any{"host": s.Ingress.Host, "paths": []any{map[string]any{"path": path, "type": "Prefix"}}}},
	}
	if s.Ingress.ClassName != "" {
		in["ingressClassName"] = s.Ingress.ClassName
	}
	if s.Ingress.TLSSecret != "" {
		in["tls"] = []any{map[string]any{"secretName": s.Ingress.TLSSecret, "hosts": []any{s.Ingress.Host}}}
	}
	return in
}

// helmHeader explains, as YAML comments, the objects the chart does not create.
func helmHeader(s Settings) string {
	var b bytes.Buffer
	ns := s.Namespace
	fmt.Fprintf(&b, "# Values for the official Headlamp chart, equivalent to `kubectl capsule-headlamp install`:\n")
	fmt.Fprintf(&b, "#   helm upgrade --install %s headlamp/headlamp -n %s -f values.yaml\n", s.Name, ns)
	fmt.Fprintf(&b, "# Create the OIDC settings and the client secret beside it (keep the secret out of Git, e.g. with a sealed or external secret):\n")
	fmt.Fprintf(&b, "#   kubectl -n %s create configmap %s", ns, ConfigMapName(s.Name))
	for _, e := range oidcEnvs {
		if v := e.value(s.OIDC); v != "" {
			fmt.Fprintf(&b, " \\\n#     --from-literal=%s=%s", e.key, v)
		}
	}
	fmt.Fprintf(&b, "\n#   kubectl -n %s create secret generic %s --from-file=%s=./client-secret\n", ns, SecretName(s.Name), SecretKeyClientSecret)
	if s.OIDC.CA != nil {
		fmt.Fprintf(&b, "#   kubectl -n %s create configmap %s --from-file=%s=./idp-ca.pem\n", ns, IDPCAConfigMapName(s.Name), CAKey)
	}
	if s.Proxy.CopyCA {
		fmt.Fprintf(&b, "#   kubectl -n %s get secret %s -o jsonpath='{.data.%s}' | base64 -d > proxy-ca.pem\n",
			s.Proxy.Namespace, s.Proxy.Secret, strings.ReplaceAll(s.Proxy.SecretKey, ".", `\.`))
		fmt.Fprintf(&b, "#   kubectl -n %s create configmap %s --from-file=%s=./proxy-ca.pem  # again after each CA rotation\n",
			ns, s.Proxy.CA.Name, CAKey)
	}
	if extra := noChartValue(s); len(extra) > 0 {
		fmt.Fprintf(&b, "# The chart has no values for the %s: apply them beside the release, as printed by\n", strings.Join(extra, " and the "))
		fmt.Fprintf(&b, "#   kubectl capsule-headlamp install <the same flags> --dry-run=client -o yaml\n")
	}
	fmt.Fprintf(&b, "# Headlamp reads CA files only at start: restart it after a CA or secret change.\n")
	return b.String()
}

// noChartValue names the objects of an installation the chart cannot create.
func noChartValue(s Settings) []string {
	var out []string
	if s.NetworkPolicy != nil {
		out = append(out, "NetworkPolicy "+s.Name)
	}
	if len(s.TenantAccess) > 0 {
		out = append(out, "Role and RoleBinding "+TenantAccessName(s.Name)+" (tenant access)")
	}
	return out
}
