package headlamp

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/client-go/kubernetes"
)

// ReadIDPCA reads from the cluster the PEM of the private IdP CA s trusts (s.OIDC.CA), as the pod
// sees it: the one key a file shows, or, when a folder shows the whole object (Key empty), every key
// in name order, since Go reads each file of an SSL_CERT_DIR folder. It returns nil and no error when
// s trusts no private IdP CA. Install (to keep the CA), doctor (to judge Headlamp's trust) and login
// (to reach the IdP as Headlamp does) all read it here.
func ReadIDPCA(ctx context.Context, cs kubernetes.Interface, s Settings) ([]byte, error) {
	ca := s.OIDC.CA
	if ca == nil {
		return nil, nil
	}
	pem, err := readKeyOrAll(ctx, clusterGetter{cs}, s.Namespace, ca.From)
	if err != nil {
		return nil, fmt.Errorf("read the IdP CA from %s: %w", ca.From, err)
	}
	return []byte(pem), nil
}

// readKeyOrAll reads ref's key, or every key of the object joined by newlines when ref.Key is empty.
func readKeyOrAll(ctx context.Context, g clusterGetter, namespace string, ref KeyRef) (string, error) {
	if ref.Key != "" {
		return g.Get(ctx, namespace, ref)
	}
	data, err := g.data(ctx, namespace, ref.Kind, ref.Name)
	if err != nil {
		return "", err
	}
	var all strings.Builder
	for _, k := range slices.Sorted(maps.Keys(data)) {
		all.WriteString(data[k])
		all.WriteByte('\n')
	}
	return all.String(), nil
}
