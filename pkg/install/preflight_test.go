package install

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

func TestPreflightPasses(t *testing.T) {
	facts, err := Preflight(t.Context(), clients(healthyCluster(t)), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if facts.ProxyCAKey != headlamp.CAKey || !bytes.Contains(facts.ProxyCA, []byte("BEGIN CERTIFICATE")) {
		t.Errorf("facts = key %q, CA %q", facts.ProxyCAKey, facts.ProxyCA)
	}
}

func TestPreflightFindsCertgenKey(t *testing.T) {
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.ProxyCAKeyCertgen))
	facts, err := Preflight(t.Context(), clients(cs), testOptions())
	if err != nil || facts.ProxyCAKey != headlamp.ProxyCAKeyCertgen {
		t.Errorf("key %q, err %v", facts.ProxyCAKey, err)
	}
}

// helmDeployment is a Headlamp the official chart installed.
func helmDeployment() *appsv1.Deployment {
	return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{
		Name: "headlamp", Namespace: "capsule-system",
		Labels:      map[string]string{headlamp.LabelManagedBy: headlamp.ManagedByHelm},
		Annotations: map[string]string{headlamp.AnnotationHelmRelease: "headlamp", headlamp.AnnotationHelmNamespace: "capsule-system"},
	}}
}

func TestPreflightProblems(t *testing.T) {
	good := goodPKI(t)
	tests := []struct {
		name   string
		cs     kubernetes.Interface
		modify func(*Options)
		want   []string
	}{
		{"everything missing at once", cluster(map[string]bool{"patch deployments": true, "create secrets": true}), nil, []string{
			"namespace capsule-system does not exist",
			"capsule-proxy service capsule-system/capsule-proxy does not exist",
			"capsule-proxy secret capsule-system/capsule-proxy does not exist",
			"you may not create secrets, patch deployments in namespace capsule-system",
		}},
		{"secret without CA", cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(good, "")), nil,
			[]string{`holds no CA certificate under key "ca.crt"`}},
		{"CA that does not verify the certificate", cluster(nil, namespace("capsule-system"), proxyService(),
			func() *corev1.Secret {
				s := proxySecret(good, headlamp.CAKey)
				s.Data["ca.crt"] = goodPKI(t).caPEM
				return s
			}()), nil,
			[]string{`certificate "capsule-proxy" (issued by "CN=test CA") is not signed by the CA (CN=test CA)`}},
		{"certificate without the service name", cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(newPKI(t, "capsule-proxy"), headlamp.CAKey)), nil,
			[]string{`certificate "capsule-proxy" does not name capsule-proxy.capsule-system.svc, the host the client connects to (it names capsule-proxy)`}},
		{"certificate for client authentication only", cluster(nil, namespace("capsule-system"), proxyService(),
			proxySecret(pkiFor(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"},
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}), headlamp.CAKey)), nil,
			// pkg/doctor's TestFailureModes expects the same words of the proxy checks.
			[]string{`certificate "capsule-proxy" is not a server certificate: its extended key usage allows client authentication only`,
				"x509: certificate specifies an incompatible key usage"}},
		{"wrong port", healthyCluster(t), func(o *Options) { o.Settings.Proxy.Port = 443 },
			[]string{"has no port 443", "--proxy-port"}},
		{"Helm owns Headlamp", cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(good, headlamp.CAKey), helmDeployment()), nil,
			[]string{`deployment.apps/headlamp already exists and is managed by Helm release "headlamp"`, "helm uninstall headlamp -n capsule-system", "--force-conflicts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			if tt.modify != nil {
				tt.modify(&opts)
			}
			_, err := Preflight(t.Context(), clients(tt.cs), opts)
			var pe *PreflightError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a PreflightError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%s", w, err)
				}
			}
		})
	}
}

func TestPreflightForceConflictsTakesOver(t *testing.T) {
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey), helmDeployment())
	opts := testOptions()
	opts.ForceConflicts = true
	if _, err := Preflight(t.Context(), clients(cs), opts); err != nil {
		t.Errorf("--force-conflicts still refused: %v", err)
	}
}

func TestPreflightUnreachable(t *testing.T) {
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Preflight(t.Context(), clients(cs), testOptions())
	var pe *PreflightError
	if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), "is the cluster of the current context reachable?") {
		t.Errorf("err = %v", err)
	}
}
