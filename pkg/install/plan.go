package install

import (
	"context"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// plan is every write install makes, decided before the first: the take-over deletes, the fields of
// our objects other managers set, and the objects to apply in write order, with the snapshot of
// them all as they were.
type plan struct {
	namespace string
	objects   []any
	deletes   []ForeignObject
	fields    []*fieldTakeover
	before    snapshot
	// restartFor are the objects whose drift made a new restart stamp for the Deployment.
	restartFor []ref
	deployment string
	sizeHints  map[ref]string
}

// planWrites reads what it does not know yet of the objects install writes, decides the restart
// stamp (set on objs' Deployment) and the fields a take-over moves, and orders the writes.
func planWrites(ctx context.Context, c Clients, opts Options, objs headlamp.Objects, facts Facts, now time.Time) (plan, error) {
	s := opts.Settings
	pl := plan{namespace: s.Namespace, objects: objs.List(), deletes: facts.Foreign, sizeHints: sizeHints(s, objs)}
	refs, err := refsOf(pl.objects)
	if err != nil {
		return pl, err
	}
	if pl.before, err = takeSnapshot(ctx, c, s.Namespace, refs, facts.live); err != nil {
		return pl, err
	}
	if objs.Deployment != nil {
		pl.stampRestart(objs, now)
	}
	return pl, pl.planFieldTakeovers(refs, facts.Foreign)
}

// stampRestart sets the restart stamp on objs' Deployment (see restartStamp).
func (pl *plan) stampRestart(objs headlamp.Objects, now time.Time) {
	pl.deployment = *objs.Deployment.Name
	var stamp string
	stamp, pl.restartFor = restartStamp(pl.before, objs, now)
	if stamp != "" {
		objs.Deployment.Spec.Template.WithAnnotations(map[string]string{headlamp.AnnotationRestartedAt: stamp})
	}
}

// planFieldTakeovers finds, in the objects of ours that exist, the fields other managers set.
func (pl *plan) planFieldTakeovers(refs []ref, foreign []ForeignObject) error {
	deleted := map[ref]bool{}
	for _, f := range foreign {
		deleted[f.ref] = true
	}
	for _, r := range refs {
		obj := pl.before[r]
		if obj == nil || deleted[r] {
			continue // created anew, or deleted and created anew: no field of another manager is left
		}
		t, err := planFieldTakeover(r, obj)
		if err != nil {
			return err
		}
		if t != nil {
			pl.fields = append(pl.fields, t)
		}
	}
	return nil
}

// writes are the plan's writes for the server-side dry run.
func (pl plan) writes(force bool) writes {
	w := writes{namespace: pl.namespace, objects: pl.objects, force: force, othersFields: map[ref][]string{}, sizeHints: pl.sizeHints}
	for _, f := range pl.deletes {
		w.deletes = append(w.deletes, f.ref)
	}
	for _, t := range pl.fields {
		w.othersFields[t.ref] = t.from
	}
	return w
}

// sizeHints say what makes each object that can grow large, for a refusal over a size limit.
func sizeHints(s headlamp.Settings, objs headlamp.Objects) map[ref]string {
	hints := map[ref]string{}
	if objs.IDPCA != nil {
		hints[ref{&configMaps, *objs.IDPCA.Name}] = "give --oidc-ca-file only the CA that signed the IdP's certificate, not a whole trust store"
	}
	if objs.ProxyCA != nil {
		hints[ref{&configMaps, *objs.ProxyCA.Name}] = "capsule-proxy's CA is copied from its Secret: keep only the CA there, or pass --proxy-ca-bundle"
	}
	if objs.RoleBinding != nil {
		hints[ref{&roleBindings, *objs.RoleBinding.Name}] = "name fewer --tenant-access groups"
	}
	if objs.Secret != nil {
		hints[ref{&secrets, headlamp.SecretName(s.Name)}] = "give --oidc-client-secret-file only the client secret"
	}
	return hints
}
