package headlamp

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// serviceHost matches <service>.<namespace>.svc with an optional cluster domain.
var serviceHost = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\..*)?$`)

// readProxy reads where Headlamp's in-cluster client connects and which CA it trusts there.
func (r *reading) readProxy() {
	if v, ok := r.env.vars[EnvServiceHost]; ok {
		r.s.Sources[SettingAPIHost] = Source{Env: EnvServiceHost, From: firstRef(v.refs)}
		if v.known {
			r.s.Proxy.Host = v.s
			if m := serviceHost.FindStringSubmatch(v.s); m != nil {
				r.s.Proxy.Service, r.s.Proxy.Namespace = m[1], m[3]
				if r.s.Proxy.APIHost() == r.s.Proxy.Service+"."+r.s.Proxy.Namespace+".svc" && m[5] == "" {
					r.s.Proxy.Host = ""
				}
			}
		}
	}
	if v, ok := r.env.vars[EnvServicePort]; ok {
		r.s.Sources[SettingAPIPort] = Source{Env: EnvServicePort, From: firstRef(v.refs)}
		if port, err := strconv.ParseInt(v.s, 10, 32); v.known && err == nil {
			r.s.Proxy.Port = int32(port)
		} else if v.known {
			r.errs = append(r.errs, fmt.Errorf("%s=%q is not a port number", EnvServicePort, v.s))
		}
	}
	r.readProxyCA()
}

func (r *reading) readProxyCA() {
	ref, src, ok := r.fileSource(path.Join(ServiceAccountDir, CAKey))
	if ok {
		r.s.Proxy.CA = ref
		r.s.Sources[SettingProxyCA] = src
		return
	}
	if automount := r.pod.AutomountServiceAccountToken; automount == nil || *automount {
		// The service account admission plugin mounts the cluster's root CA there.
		r.s.Proxy.CA = &KeyRef{Kind: KindConfigMap, Name: "kube-root-ca.crt", Key: CAKey}
		r.s.Sources[SettingProxyCA] = Source{Default: "the default service account volume (the cluster CA)"}
	}
}

// readIDPCA finds the private CA Headlamp trusts for IdP calls: -oidc-ca-file (read as a flag), else
// SSL_CERT_FILE, else an extra SSL_CERT_DIR folder, else a volume over the system trust store.
func (r *reading) readIDPCA() {
	if ca := r.s.OIDC.CA; ca != nil {
		src := r.s.Sources[FlagOIDCCAFile]
		if ref, fileSrc, ok := r.fileSource(ca.Path); ok {
			ca.From, src.Volume = *ref, fileSrc.Volume
		}
		r.s.Sources[SettingIDPCA] = src
		return
	}
	if v, ok := r.env.vars[EnvSSLCertFile]; ok && v.known {
		if ref, src, found := r.fileSource(v.s); found {
			src.Env = EnvSSLCertFile
			r.s.OIDC.CA = &CA{From: *ref, Trust: TrustCertFile, Path: v.s}
			r.s.Sources[SettingIDPCA] = src
			return
		}
	}
	if v, ok := r.env.vars[EnvSSLCertDir]; ok && v.known {
		for _, dir := range strings.Split(v.s, ":") {
			if ref, src, found := r.dirSource(dir); found && dir != SystemCertDir {
				src.Env = EnvSSLCertDir
				r.s.OIDC.CA = &CA{From: *ref, Trust: TrustAppend, Path: dir}
				r.s.Sources[SettingIDPCA] = src
				return
			}
		}
	}
	r.readTrustStoreVolume()
}

// readTrustStoreVolume notices the Capsule guide's pattern: an init container writes a trust store
// into an emptyDir mounted over the system one.
func (r *reading) readTrustStoreVolume() {
	m := r.mountFor(SystemCertDir)
	if m == nil {
		return
	}
	src := Source{Volume: m.Name}
	if ref, _, ok := r.dirSource(m.MountPath); ok {
		r.s.OIDC.CA = &CA{From: *ref, Trust: TrustStore, Path: m.MountPath}
	}
	for _, ic := range r.pod.InitContainers {
		for _, im := range ic.VolumeMounts {
			if im.Name == m.Name {
				src.Default = fmt.Sprintf("trust store written by init container %s", ic.Name)
			}
		}
	}
	r.s.Sources[SettingIDPCA] = src
}

// mountFor returns the mount that holds p: the one with the longest mount path that contains it.
func (r *reading) mountFor(p string) *corev1.VolumeMount {
	var best *corev1.VolumeMount
	for i, m := range r.c.VolumeMounts {
		mp := strings.TrimSuffix(m.MountPath, "/")
		if (p == mp || strings.HasPrefix(p, mp+"/")) && (best == nil || len(mp) > len(best.MountPath)) {
			best = &r.c.VolumeMounts[i]
		}
	}
	return best
}

func (r *reading) volume(name string) *corev1.Volume {
	for i := range r.pod.Volumes {
		if r.pod.Volumes[i].Name == name {
			return &r.pod.Volumes[i]
		}
	}
	return nil
}
