package install

import (
	"bytes"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
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

// TestPreflightFindings: preflight reads and records, concern by concern, what doctor's pre-install
// checks report; capsule-proxy's Service and certificate are for doctor's proxy checks to judge.
func TestPreflightFindings(t *testing.T) {
	good := goodPKI(t)
	tests := []struct {
		name string
		cs   kubernetes.Interface
		want map[Concern][]string
	}{
		{"everything missing at once", cluster(map[string]bool{"patch deployments": true, "create secrets": true}), map[Concern][]string{
			ConcernNamespace: {"namespace capsule-system does not exist"},
			ConcernAccess:    {"you may not create secrets, patch deployments in namespace capsule-system"},
		}},
		{"Helm owns Headlamp", cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(good, headlamp.CAKey), helmDeployment()), map[Concern][]string{
			ConcernOwners: {`deployment.apps/headlamp already exists and is managed by Helm release "headlamp"`, "helm uninstall headlamp -n capsule-system", "--force-conflicts"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts, err := Preflight(t.Context(), clients(tt.cs), testOptions())
			if err != nil {
				t.Fatal(err)
			}
			for concern, want := range tt.want {
				var said strings.Builder
				for _, p := range facts.Findings[concern] {
					said.WriteString(p.What + "\n" + p.Hint + "\n")
				}
				for _, w := range want {
					if !strings.Contains(said.String(), w) {
						t.Errorf("%s findings do not say %q:\n%s", concern, w, said.String())
					}
				}
			}
		})
	}
}

// TestPreflightLeavesTheProxyToDoctor: a proxy Secret without a CA is no preflight finding (PROXY-SECRET
// and HEADLAMP-CA report it), and nothing is copied.
func TestPreflightLeavesTheProxyToDoctor(t *testing.T) {
	facts, err := Preflight(t.Context(), clients(cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), ""))), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p := facts.Problems(); len(p) != 0 || len(facts.ProxyCA) != 0 {
		t.Errorf("problems %v, CA %q", p, facts.ProxyCA)
	}
}

func TestPreflightForceConflictsTakesOver(t *testing.T) {
	cs := cluster(nil, namespace("capsule-system"), proxyService(), proxySecret(goodPKI(t), headlamp.CAKey), helmDeployment())
	opts := testOptions()
	opts.ForceConflicts = true
	facts, err := Preflight(t.Context(), clients(cs), opts)
	if err != nil || len(facts.Problems()) != 0 || len(facts.Foreign) != 1 {
		t.Errorf("--force-conflicts still refused: %v %v, foreign %v", err, facts.Problems(), facts.Foreign)
	}
}

func TestPreflightUnreachable(t *testing.T) {
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Preflight(t.Context(), clients(cs), testOptions())
	if err == nil || !strings.Contains(err.Error(), "is the cluster of the current context reachable?") {
		t.Errorf("err = %v", err)
	}
}
