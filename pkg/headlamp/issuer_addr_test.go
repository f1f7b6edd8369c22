package headlamp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
)

func TestResolveIssuer(t *testing.T) {
	lookup := func(_ context.Context, host string) ([]string, error) {
		switch host {
		case "idp.example":
			return []string{"192.0.2.20", "192.0.2.3", "2001:db8::1"}, nil
		case "empty.example":
			return nil, nil
		}
		return nil, errors.New("no such host")
	}
	for _, tc := range []struct{ issuer, want, err string }{
		{"https://idp.example/dex", "idp.example:443 [192.0.2.3 192.0.2.20 2001:db8::1]", ""},
		{"http://127.0.0.1:5556/dex", "127.0.0.1:5556 [127.0.0.1]", ""},
		{"http://idp.example", "idp.example:80 [192.0.2.3 192.0.2.20 2001:db8::1]", ""},
		{"https://nowhere.example", "", "resolve the IdP's host nowhere.example: no such host"},
		{"https://empty.example", "", "has no address"},
		{"https://idp.example:99999", "", `has port "99999"`},
		{"/relative", "", "not an absolute URL"},
	} {
		a, err := ResolveIssuer(t.Context(), lookup, tc.issuer)
		got := fmt.Sprintf("%s:%d %v", a.Host, a.Port, a.IPs)
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) || tc.err == "" && (err != nil || got != tc.want) {
			t.Errorf("ResolveIssuer(%q) = %s, %v; want %q, error %q", tc.issuer, got, err, tc.want, tc.err)
		}
	}
}

// TestIssuerAddressPeers: each address becomes a host-sized block with the issuer's port.
func TestIssuerAddressPeers(t *testing.T) {
	a := IssuerAddress{Host: "dex.example.com", Port: 5556, IPs: []net.IP{net.ParseIP("192.0.2.7"), net.ParseIP("2001:db8::7")}}
	want := []Peer{{CIDR: "192.0.2.7/32", Port: 5556}, {CIDR: "2001:db8::7/128", Port: 5556}}
	if got := a.Peers(); !reflect.DeepEqual(got, want) {
		t.Errorf("Peers() = %v, want %v", got, want)
	}
}
