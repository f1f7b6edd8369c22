package headlamp

import (
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestReadIDPCA(t *testing.T) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "idp-ca"},
		Data: map[string]string{"b.pem": "B", "a.pem": "A"}}
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "idp-ca"},
		Data: map[string][]byte{CAKey: []byte("S")}}
	cs := fake.NewClientset(cm, sec)
	cases := map[string]struct {
		from KeyRef
		want string
	}{
		"one key of a ConfigMap":                   {KeyRef{Kind: KindConfigMap, Name: "idp-ca", Key: "b.pem"}, "B"},
		"one key of a Secret":                      {KeyRef{Kind: KindSecret, Name: "idp-ca", Key: CAKey}, "S"},
		"a whole-object folder: every key, sorted": {KeyRef{Kind: KindConfigMap, Name: "idp-ca"}, "A\nB\n"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := New("ns")
			s.OIDC.CA = &CA{From: c.from, Trust: TrustAppend, Path: IDPCADir}
			got, err := ReadIDPCA(t.Context(), cs, s)
			if err != nil || string(got) != c.want {
				t.Errorf("ReadIDPCA = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestReadIDPCAWithoutOne(t *testing.T) {
	got, err := ReadIDPCA(t.Context(), fake.NewClientset(), New("ns"))
	if got != nil || err != nil {
		t.Errorf("ReadIDPCA = %q, %v; want nothing", got, err)
	}
}

func TestReadIDPCANamesWhatIsMissing(t *testing.T) {
	cs := fake.NewClientset(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "idp-ca"}})
	for _, from := range []KeyRef{
		{Kind: KindConfigMap, Name: "gone", Key: CAKey},
		{Kind: KindConfigMap, Name: "idp-ca", Key: CAKey},
		{Kind: KindSecret, Name: "gone"},
	} {
		s := New("ns")
		s.OIDC.CA = &CA{From: from, Trust: TrustAppend, Path: IDPCADir}
		_, err := ReadIDPCA(t.Context(), cs, s)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: err = %v, want one wrapping ErrNotFound", from, err)
		}
		if err != nil && !strings.Contains(err.Error(), from.String()) {
			t.Errorf("%s: err = %v, want it to name the object", from, err)
		}
	}
}
