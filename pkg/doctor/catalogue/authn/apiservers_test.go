package authn

import (
	"strings"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// identityLease is a kube-apiserver identity Lease as kube-apiserver v1.37 keeps it.
func identityLease(name, host, component string, renewed time.Time) *coordinationv1.Lease {
	holder, duration := name+"_uid", int32(3600)
	return &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-system",
			Labels: map[string]string{"apiserver.kubernetes.io/identity": component, "kubernetes.io/hostname": host}},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: &holder, LeaseDurationSeconds: &duration,
			RenewTime: &metav1.MicroTime{Time: renewed}},
	}
}

func TestIdentitiesAreTheCurrentAPIServerLeases(t *testing.T) {
	now := time.Now()
	kube := fake.NewClientset(
		identityLease("apiserver-cp1", "cp1", "kube-apiserver", now.Add(-10*time.Second)),
		identityLease("apiserver-dead", "cp0", "kube-apiserver", now.Add(-2*time.Hour)),
		identityLease("kube-controller-manager-x", "cp1", "kube-controller-manager", now),
	)
	got, err := readIdentities(t.Context(), kube, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name() != "cp1" || got[0].IDHash != HashOf("apiserver-cp1") {
		t.Fatalf("identities = %+v, want cp1 only (not the expired Lease, not another component's)", got)
	}
	m := Metrics{Known: got}
	if name := m.NameOf(HashOf("apiserver-cp1")); name != "cp1" {
		t.Errorf("the API server of apiserver-cp1 is named %q, want its host name", name)
	}
}

func TestParseMetricsAsKubeAPIServerWritesThem(t *testing.T) {
	text := "# HELP apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds [ALPHA] Timestamp of the last successful or failed JWKS fetch.\n" +
		"# TYPE apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds gauge\n" +
		cp1.fetch("success", 1765000000) +
		"# HELP apiserver_authentication_config_controller_last_config_info [ALPHA] Information about the last applied authentication configuration.\n" +
		"# TYPE apiserver_authentication_config_controller_last_config_info gauge\n" + cp1.config("file")
	states, err := parseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Issuers[HashOf(testIssuer)].LastSuccess.Unix() != 1765000000 || states[0].Config.Hash != HashOf("file") {
		t.Errorf("states = %+v", states)
	}
	if _, err := parseMetrics(strings.NewReader(seriesConfig + "{ not metrics")); err == nil {
		t.Error("a page that is not Prometheus text parsed")
	}
}
