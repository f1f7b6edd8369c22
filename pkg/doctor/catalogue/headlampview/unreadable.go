package headlampview

import (
	"context"
	"errors"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// recordingGetter is a headlamp.Getter that remembers the Secret and ConfigMap keys it could not read
// (forbidden, timed out), so that only the settings held there become unknown rather than the whole
// Deployment. Resolve calls it from one goroutine.
type recordingGetter struct {
	next   headlamp.Getter
	failed map[headlamp.KeyRef]error
}

func (g *recordingGetter) Get(ctx context.Context, ns string, ref headlamp.KeyRef) (string, error) {
	v, err := g.next.Get(ctx, ns, ref)
	if err != nil && !errors.Is(err, headlamp.ErrNotFound) {
		resource := "configmaps"
		if ref.Kind == headlamp.KindSecret {
			resource = "secrets"
		}
		g.failed[ref] = area.WrapAccess(area.Access{Verb: "get", Resource: resource, Namespace: ns, Name: ref.Name}, err)
	}
	return v, err
}

// unreadableSettings maps each setting held in an object that could not be read to why. The sources
// come from Parse, which names the key behind every value, even one an envFrom source would supply.
func unreadableSettings(dep *appsv1.Deployment, failed map[headlamp.KeyRef]error) map[headlamp.Setting]error {
	if len(failed) == 0 {
		return nil
	}
	parsed, _ := headlamp.Parse(dep) // its errors are Resolve's too, reported already
	byObject := map[headlamp.KeyRef]error{}
	for ref, err := range failed {
		byObject[headlamp.KeyRef{Kind: ref.Kind, Name: ref.Name}] = err
	}
	out := map[headlamp.Setting]error{}
	for setting, src := range parsed.Sources {
		if src.From == nil {
			continue
		}
		if err, ok := byObject[headlamp.KeyRef{Kind: src.From.Kind, Name: src.From.Name}]; ok {
			out[setting] = err
		}
	}
	return out
}

// withoutFailedReads drops the parts of Resolve's error that are about keys doctor could not read:
// a key doctor may not read is not a key that does not exist. Both ways Resolve reports such a key
// (the read error, and the variable it left unset) name the key followed by a colon.
func withoutFailedReads(err error, failed map[headlamp.KeyRef]error) error {
	if err == nil || len(failed) == 0 {
		return err
	}
	parts := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		parts = joined.Unwrap()
	}
	var keep []error
	for _, part := range parts {
		if !namesAny(part.Error(), failed) {
			keep = append(keep, part)
		}
	}
	return errors.Join(keep...)
}

func namesAny(msg string, refs map[headlamp.KeyRef]error) bool {
	for ref := range refs {
		if strings.Contains(msg, ref.String()+": ") {
			return true
		}
	}
	return false
}

// The settings that say which issuer Headlamp uses, and which audience its tokens carry.
var (
	IssuerSettings   = []headlamp.Setting{headlamp.FlagOIDCIssuerURL, headlamp.FlagOIDCValidatorIssuer}
	AudienceSettings = slices.Concat([]headlamp.Setting{headlamp.FlagOIDCClientID, headlamp.FlagOIDCValidatorID}, IssuerSettings)
)

// Readable returns, when any of settings is held in a Secret or ConfigMap doctor could not read, the
// error naming the access it lacked: a check judging such a setting reports unknown, never a guess.
func (h View) Readable(settings ...headlamp.Setting) error {
	for _, s := range settings {
		if err, ok := h.Unreadable[s]; ok {
			return err
		}
	}
	return nil
}

// UnreadableAccess lists, once each, the requests that failed for the settings doctor could not read.
func (h View) UnreadableAccess() []string {
	var out []string
	for _, err := range h.Unreadable {
		what := err.Error()
		if a, ok := area.AccessOf(err); ok {
			what = a.String()
		}
		if !slices.Contains(out, what) {
			out = append(out, what)
		}
	}
	slices.Sort(out)
	return out
}

// Get is the Headlamp fact for a check that judges settings: an error when the fact is
// missing or when one of those settings could not be read.
func Get(f engine.Facts, settings ...headlamp.Setting) (View, error) {
	h, err := FactView.Get(f)
	if err != nil {
		return h, err
	}
	return h, h.Readable(settings...)
}
