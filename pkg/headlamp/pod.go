package headlamp

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
)

// Volume names in our pod.
const (
	volumeAPIAccess = "kube-api-access"
	volumeIDPCA     = "idp-ca"
	volumeTmp       = "tmp"
)

// podSpec meets the restricted Pod Security Standard: non-root, RuntimeDefault seccomp, no privilege
// escalation, no capabilities, read-only root filesystem.
func podSpec(s Settings) *corev1ac.PodSpecApplyConfiguration {
	spec := corev1ac.PodSpec().
		WithServiceAccountName(s.ServiceAccount).
		WithAutomountServiceAccountToken(false).
		WithSecurityContext(corev1ac.PodSecurityContext().
			WithRunAsNonRoot(true).
			WithRunAsUser(RunAsUser).
			WithRunAsGroup(RunAsGroup).
			WithFSGroup(RunAsGroup).
			WithSeccompProfile(corev1ac.SeccompProfile().WithType(corev1.SeccompProfileTypeRuntimeDefault))).
		WithContainers(container(s)).
		WithVolumes(apiAccessVolume(s), corev1ac.Volume().WithName(volumeTmp).WithEmptyDir(corev1ac.EmptyDirVolumeSource()))
	for _, name := range s.ImagePullSecrets {
		spec.WithImagePullSecrets(corev1ac.LocalObjectReference().WithName(name))
	}
	if s.OIDC.CA != nil {
		spec.WithVolumes(corev1ac.Volume().WithName(volumeIDPCA).WithConfigMap(corev1ac.ConfigMapVolumeSource().
			WithName(IDPCAConfigMapName(s.Name)).
			WithItems(corev1ac.KeyToPath().WithKey(CAKey).WithPath(CAKey))))
	}
	return spec
}

func container(s Settings) *corev1ac.ContainerApplyConfiguration {
	c := corev1ac.Container().
		WithName(ContainerName).
		WithImage(s.Image).
		WithArgs(args(s)...).
		WithEnv(env(s)...).
		WithPorts(corev1ac.ContainerPort().WithName(PortName).WithContainerPort(ContainerPort).WithProtocol(corev1.ProtocolTCP)).
		WithResources(resources(s.Resources)).
		WithReadinessProbe(probe(s.BaseURL+"/config")).
		WithLivenessProbe(probe(s.BaseURL+"/")).
		WithSecurityContext(corev1ac.SecurityContext().
			WithAllowPrivilegeEscalation(false).
			WithReadOnlyRootFilesystem(true).
			WithCapabilities(corev1ac.Capabilities().WithDrop("ALL"))).
		WithVolumeMounts(
			corev1ac.VolumeMount().WithName(volumeAPIAccess).WithMountPath(ServiceAccountDir).WithReadOnly(true),
			corev1ac.VolumeMount().WithName(volumeTmp).WithMountPath(TmpDir))
	if s.OIDC.CA != nil {
		c.WithVolumeMounts(corev1ac.VolumeMount().WithName(volumeIDPCA).WithMountPath(IDPCADir).WithReadOnly(true))
	}
	return c
}

// args carry the switches; the string settings come from the Secret through env.
func args(s Settings) []string {
	a := []string{"-" + string(FlagInCluster), "-" + string(FlagInClusterContextName) + "=" + s.InClusterContextName}
	flag := func(on bool, f Setting) {
		if on {
			a = append(a, "-"+string(f))
		}
	}
	if s.BaseURL != "" {
		a = append(a, "-"+string(FlagBaseURL)+"="+s.BaseURL)
	}
	flag(s.OIDC.UseAccessToken, FlagOIDCUseAccessToken)
	flag(s.OIDC.UsePKCE, FlagOIDCUsePKCE)
	flag(s.OIDC.SkipTLSVerify, FlagOIDCSkipTLSVerify)
	flag(s.InsecureSSL, FlagInsecureSSL)
	flag(s.UnsafeServiceAccountToken, FlagUnsafeSAToken)
	if ca := s.OIDC.CA; ca != nil && ca.Trust == TrustReplace {
		a = append(a, "-"+string(FlagOIDCCAFile)+"="+IDPCADir+"/"+CAKey)
	}
	return a
}

// env points Headlamp's in-cluster client at capsule-proxy and feeds the OIDC settings from the
// ConfigMap, the client secret from the Secret.
func env(s Settings) []*corev1ac.EnvVarApplyConfiguration {
	vars := []*corev1ac.EnvVarApplyConfiguration{
		corev1ac.EnvVar().WithName(EnvServiceHost).WithValue(s.Proxy.APIHost()),
		corev1ac.EnvVar().WithName(EnvServicePort).WithValue(strconv.Itoa(int(s.Proxy.Port))),
	}
	for _, e := range oidcEnvs {
		if e.value(s.OIDC) != "" {
			vars = append(vars, envFrom(e.flag, KeyRef{Kind: KindConfigMap, Name: ConfigMapName(s.Name), Key: e.key}))
		}
	}
	if ref := s.OIDC.ClientSecret; ref != nil {
		vars = append(vars, envFrom(FlagOIDCClientSecret, *ref))
	}
	if ca := s.OIDC.CA; ca != nil && ca.Trust == TrustAppend {
		vars = append(vars, corev1ac.EnvVar().WithName(EnvSSLCertDir).WithValue(SystemCertDir+":"+IDPCADir))
	}
	return vars
}

// envFrom sets a flag's HEADLAMP_CONFIG_* variable from a ConfigMap or Secret key.
func envFrom(f Setting, ref KeyRef) *corev1ac.EnvVarApplyConfiguration {
	src := corev1ac.EnvVarSource()
	if ref.Kind == KindConfigMap {
		src.WithConfigMapKeyRef(corev1ac.ConfigMapKeySelector().WithName(ref.Name).WithKey(ref.Key))
	} else {
		src.WithSecretKeyRef(corev1ac.SecretKeySelector().WithName(ref.Name).WithKey(ref.Key))
	}
	return corev1ac.EnvVar().WithName(f.EnvName()).WithValueFrom(src)
}

func probe(path string) *corev1ac.ProbeApplyConfiguration {
	return corev1ac.Probe().WithHTTPGet(corev1ac.HTTPGetAction().WithPath(path).WithPort(intstr.FromString(PortName)))
}

// apiAccessVolume replaces the default service account volume: a token, the namespace, and
// capsule-proxy's CA as ca.crt, so Headlamp's in-cluster client trusts the proxy. rest.InClusterConfig
// needs the token file to exist, but with OIDC every request carries the user's own token: the
// projected token has an audience no API server accepts (TokenAudience), so it is worth nothing to
// whoever reads it from the pod.
func apiAccessVolume(s Settings) *corev1ac.VolumeApplyConfiguration {
	ca := s.Proxy.CA
	item := corev1ac.KeyToPath().WithKey(ca.Key).WithPath(CAKey)
	caSource := corev1ac.VolumeProjection()
	if ca.Kind == KindConfigMap {
		caSource.WithConfigMap(corev1ac.ConfigMapProjection().WithName(ca.Name).WithItems(item))
	} else {
		caSource.WithSecret(corev1ac.SecretProjection().WithName(ca.Name).WithItems(item))
	}
	return corev1ac.Volume().WithName(volumeAPIAccess).WithProjected(corev1ac.ProjectedVolumeSource().
		WithSources(
			corev1ac.VolumeProjection().WithServiceAccountToken(corev1ac.ServiceAccountTokenProjection().
				WithPath("token").WithAudience(TokenAudience).WithExpirationSeconds(3607)),
			caSource,
			corev1ac.VolumeProjection().WithDownwardAPI(corev1ac.DownwardAPIProjection().WithItems(
				corev1ac.DownwardAPIVolumeFile().WithPath("namespace").
					WithFieldRef(corev1ac.ObjectFieldSelector().WithAPIVersion("v1").WithFieldPath("metadata.namespace"))))))
}

// resources leaves out what is not set: an empty list would still be written as {}.
func resources(r Resources) *corev1ac.ResourceRequirementsApplyConfiguration {
	ac := corev1ac.ResourceRequirements()
	if len(r.Requests) > 0 {
		ac.WithRequests(r.Requests)
	}
	if len(r.Limits) > 0 {
		ac.WithLimits(r.Limits)
	}
	return ac
}
