package headlamp

// List returns the objects in the one order they are written and printed (install's writes, its
// -o yaml, prune's idea of what an install holds), so that a Headlamp pod never starts with part of
// the old settings and part of the new ones.
//
// Headlamp reads everything it is configured with when its container starts: the env the kubelet
// resolves from the settings ConfigMap and the Secret, and the CA files of its volumes (the kubelet
// rewrites a mounted ConfigMap in a running pod, but Headlamp reads the files only at start). The
// running container therefore keeps the old settings until it is replaced, whatever is written under
// the same names meanwhile; only a container that restarts in between (a crash, a failed liveness
// probe) would start with a mix. So:
//
//  1. What no Headlamp container reads: the ServiceAccount, and the NetworkPolicy before any pod of
//     the new template runs.
//  2. What it reads at start, the largest first (the CA ConfigMaps, which size limits and quotas are
//     most likely to refuse), the Secret last: the window in which a restarting container could read
//     new content under the old template is as short as it can be.
//  3. The Deployment right after. Its pod template carries the hash of everything in 2 (and a restart
//     stamp when 2 is put back without the hash changing), so the pod is replaced; the Recreate
//     strategy stops the old pod before the new one starts, and the new one reads only new content.
//  4. What exposes Headlamp and who may find it: the Service, the Ingress or HTTPRoute, the tenants'
//     Role and RoleBinding, once the Deployment they lead to is written.
//
// Optional objects that are nil are left out.
func (o Objects) List() []any {
	var list []any
	add := func(present bool, obj any) {
		if present {
			list = append(list, obj)
		}
	}
	add(o.ServiceAccount != nil, o.ServiceAccount)
	add(o.NetworkPolicy != nil, o.NetworkPolicy)
	add(o.IDPCA != nil, o.IDPCA)
	add(o.ProxyCA != nil, o.ProxyCA)
	add(o.OIDCConfig != nil, o.OIDCConfig)
	add(o.Secret != nil, o.Secret)
	add(o.Deployment != nil, o.Deployment)
	add(o.Service != nil, o.Service)
	add(o.Ingress != nil, o.Ingress)
	add(o.HTTPRoute != nil, o.HTTPRoute)
	add(o.Role != nil, o.Role)
	add(o.RoleBinding != nil, o.RoleBinding)
	return list
}
