package headlamp

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// deployment runs Headlamp with Recreate: sessions and refresh tokens live in pod memory, so two pods
// side by side during a rolling update would split users between them.
func deployment(s Settings, m Material, hash string) *appsv1ac.DeploymentApplyConfiguration {
	dep := appsv1ac.Deployment(s.Name, s.Namespace).
		WithLabels(Labels(s)).
		WithSpec(appsv1ac.DeploymentSpec().
			WithReplicas(s.Replicas).
			WithStrategy(appsv1ac.DeploymentStrategy().WithType(appsv1.RecreateDeploymentStrategyType)).
			WithSelector(metav1ac.LabelSelector().WithMatchLabels(SelectorLabels(s))).
			WithTemplate(corev1ac.PodTemplateSpec().
				WithLabels(Labels(s)).
				WithAnnotations(podAnnotations(hash, m)).
				WithSpec(podSpec(s))))
	if s.Proxy.Secret != "" {
		// Outside the pod template: recording them never restarts Headlamp.
		annotations := map[string]string{AnnotationProxySecret: s.Proxy.Secret}
		if s.Proxy.SecretKey != "" {
			annotations[AnnotationProxySecretKey] = s.Proxy.SecretKey
		}
		dep.WithAnnotations(annotations)
	}
	return dep
}

// podAnnotations are the pod template's: the config hash, and the digest of the proxy CA the pods start with.
func podAnnotations(hash string, m Material) map[string]string {
	a := map[string]string{AnnotationConfigHash: hash}
	// The bundle was checked when install read it; one that does not parse has no digest to record.
	certs, _ := trust.ParseBundle(m.ProxyCA)
	if d := ProxyCADigest(certs); d != "" {
		a[AnnotationProxyCA] = d
	}
	return a
}

// ProxyCADigest is the SHA-256 (hex) of the DER certificates of a CA bundle, in order; "" for none.
func ProxyCADigest(certs []*x509.Certificate) string {
	if len(certs) == 0 {
		return ""
	}
	h := sha256.New()
	for _, c := range certs {
		h.Write(c.Raw)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Hashing parameters for the client secret's share of the config hash: the hash sits in a pod
// annotation that more people can read than the Secret, so the secret goes through a slow,
// per-installation salted key derivation before it is mixed in.
const (
	secretHashIterations = 20_000
	secretHashSalt       = "kubectl-capsule-headlamp config hash/" //nolint:gosec // a salt prefix, not a credential
)

// configHash changes whenever the settings, the CA certificates or the client secret change. Headlamp
// reads them only at start, so a change must restart the pod.
func configHash(s Settings, m Material) (string, error) {
	// Not read by the pod: the objects around it, how many replicas, what Parse recorded.
	s.Sources, s.Ingress, s.Gateway, s.NetworkPolicy, s.TenantAccess, s.Replicas = nil, nil, nil, nil, nil, 0
	settings, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("hash settings: %w", err)
	}
	derived, err := pbkdf2.Key(sha256.New, m.ClientSecret,
		[]byte(secretHashSalt+s.Namespace+"/"+s.Name), secretHashIterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("hash client secret: %w", err)
	}
	h := sha256.New()
	for _, part := range [][]byte{settings, m.ProxyCA, m.IDPCA, derived} {
		fmt.Fprintf(h, "%d:", len(part))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}
