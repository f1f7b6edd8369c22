package headlamp

import (
	"context"
	"testing"
)

// recordingGetter records every key it is asked for.
type recordingGetter struct {
	mapGetter
	asked []KeyRef
}

func (g *recordingGetter) Get(ctx context.Context, namespace string, ref KeyRef) (string, error) {
	g.asked = append(g.asked, ref)
	return g.mapGetter.Get(ctx, namespace, ref)
}

func TestResolveOnlyReadsOnlyTheChosenSettings(t *testing.T) {
	dep := loadDeployment(t, "chart-secret.yaml")
	g := &recordingGetter{mapGetter: mapGetter{
		{KindSecret, "oidc", "clientID"}:       "headlamp",
		{KindSecret, "oidc", "clientSecret"}:   "chart-secret",
		{KindSecret, "oidc", "issuerURL"}:      "https://idp.example.com",
		{KindSecret, "oidc", "scopes"}:         "openid,email",
		{KindSecret, "oidc", "useAccessToken"}: "true",
	}}
	s, err := ResolveOnly(t.Context(), g, dep, FlagOIDCClientID, FlagOIDCIssuerURL, FlagOIDCScopes, FlagOIDCClientSecret)
	if err != nil {
		t.Fatalf("ResolveOnly() = %v", err)
	}
	if s.OIDC.ClientID != "headlamp" || s.OIDC.IssuerURL != "https://idp.example.com" || len(s.OIDC.Scopes) != 2 {
		t.Errorf("resolved %+v, want client id, issuer and scopes", s.OIDC)
	}
	if s.OIDC.UseAccessToken {
		t.Errorf("use-access-token was read, but not chosen")
	}
	for _, ref := range g.asked {
		if ref.Key == "clientSecret" || ref.Key == "useAccessToken" {
			t.Errorf("ResolveOnly asked for %s, which it must not read", ref)
		}
	}
}

func TestResolveOnlyReportsOnlyTheChosenSettings(t *testing.T) {
	dep := loadDeployment(t, "chart-secret.yaml")
	// Only the client id can be read: the others must not make an error.
	g := mapGetter{{KindSecret, "oidc", "clientID"}: "headlamp"}
	s, err := ResolveOnly(t.Context(), g, dep, FlagOIDCClientID)
	if err != nil || s.OIDC.ClientID != "headlamp" {
		t.Errorf("ResolveOnly(client id) = %+v, %v; want the client id and no error", s.OIDC, err)
	}
}
