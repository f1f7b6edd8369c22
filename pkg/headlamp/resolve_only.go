package headlamp

import (
	"context"
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// errNotWanted marks a Secret or ConfigMap key ResolveOnly leaves unread: the value stays unknown,
// and that is no error.
var errNotWanted = errors.New("not wanted")

// ResolveOnly is Resolve for the chosen settings only: it reads just the Secret and ConfigMap keys
// they come from, so a caller that needs a few settings needs no access to the others, and never
// reads the client secret (it is not read even when chosen). The other settings are as Parse leaves
// them; the error lists only what the chosen settings could not read.
func ResolveOnly(ctx context.Context, g Getter, dep *appsv1.Deployment, settings ...Setting) (Settings, error) {
	parsed, err := Parse(dep)
	if err != nil {
		return parsed, err
	}
	wanted := map[KeyRef]bool{}
	for _, s := range settings {
		if src, ok := parsed.Sources[s]; ok && src.From != nil && s != FlagOIDCClientSecret {
			wanted[*src.From] = true
		}
	}
	secret := parsed.Sources[FlagOIDCClientSecret].From
	only := onlyGetter{g: g, wanted: wanted, secret: secret}
	var resolved Settings
	if kl, ok := g.(KeyLister); ok {
		resolved, _, err = Resolve(ctx, onlyKeyLister{only, kl}, dep)
	} else {
		resolved, _, err = Resolve(ctx, only, dep)
	}
	return resolved, err
}

// onlyGetter reads the wanted keys and refuses every other one, the client secret's above all.
type onlyGetter struct {
	g      Getter
	wanted map[KeyRef]bool
	secret *KeyRef
}

func (o onlyGetter) Get(ctx context.Context, namespace string, ref KeyRef) (string, error) {
	if !o.wanted[ref] || (o.secret != nil && ref == *o.secret) {
		return "", fmt.Errorf("%s: %w", ref, errNotWanted)
	}
	return o.g.Get(ctx, namespace, ref)
}

// onlyKeyLister is an onlyGetter that lists keys too, for settings that come through envFrom.
type onlyKeyLister struct {
	onlyGetter
	kl KeyLister
}

func (o onlyKeyLister) Keys(ctx context.Context, namespace, kind, name string) ([]string, error) {
	return o.kl.Keys(ctx, namespace, kind, name)
}
