package capsule

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts about Capsule.
const (
	FactAPI    engine.Key[map[string]bool] = "capsule-api"
	FactConfig engine.Key[Config]          = "capsule-config"
)

// GroupVersion is the API Capsule v0.14 stores its objects in.
var GroupVersion = schema.GroupVersion{Group: "capsule.clastix.io", Version: "v1beta2"}

// ConfigName is the CapsuleConfiguration the Capsule controller and capsule-proxy read by default.
const ConfigName = proxyview.DefaultConfigurationName

// Subject is a Capsule user entry: a User, Group or ServiceAccount name.
type Subject struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// Config is what doctor needs from the CapsuleConfiguration capsule-proxy reads: who counts as a
// Capsule user.
type Config struct {
	Name  string
	Users []Subject
	// Source says where Users came from: status.users (computed by the controller), spec.users or the
	// deprecated spec.userGroups.
	Source string
	// Deprecated are the deprecated fields in use (spec.userGroups, spec.userNames), with their entries.
	Deprecated map[string][]string
}

// Groups returns the names of the Capsule user groups.
func (c Config) Groups() []string {
	var out []string
	for _, s := range c.Users {
		if s.Kind == "Group" {
			out = append(out, s.Name)
		}
	}
	return out
}

// Facts are the facts of the Capsule checks, read with env. The CapsuleConfiguration capsule-proxy
// reads (--capsule-configuration-name, else default) is read once per run, here, for every check that
// needs it.
func Facts(env area.Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(FactAPI, nil, func(ctx context.Context, _ engine.Facts) (map[string]bool, error) {
			list, err := env.Kube.Discovery().ServerResourcesForGroupVersion(GroupVersion.String())
			if area.NotFound(err) {
				return map[string]bool{}, nil
			}
			if err != nil {
				return nil, area.WrapAccess(area.Access{Verb: "get", NonResourceURL: "/apis/" + GroupVersion.String()}, err)
			}
			served := map[string]bool{}
			for _, r := range list.APIResources {
				served[r.Name] = true
			}
			return served, nil
		}),
		engine.Define(FactConfig, []engine.FactName{proxyview.FactDeployment.Name()}, func(ctx context.Context, in engine.Facts) (Config, error) {
			name := ConfigName
			if d, err := proxyview.FactDeployment.Get(in); err == nil {
				name = d.Flags.ConfigurationName
			}
			gvr := GroupVersion.WithResource("capsuleconfigurations")
			obj, err := env.Dynamic.Resource(gvr).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return Config{Name: name}, area.WrapAccess(area.Access{Verb: "get", Group: gvr.Group, Resource: gvr.Resource, Name: name}, err)
			}
			return readCapsuleConfig(obj)
		}),
	}
}

// readCapsuleConfig prefers status.users, which the controller computes and capsule-proxy reads, and
// falls back to spec.users and the deprecated spec.userGroups.
func readCapsuleConfig(obj *unstructured.Unstructured) (Config, error) {
	cfg := Config{Name: obj.GetName(), Deprecated: map[string][]string{}}
	for _, field := range []string{"userGroups", "userNames"} {
		values, _, err := unstructured.NestedStringSlice(obj.Object, "spec", field)
		if err != nil {
			return cfg, fmt.Errorf("read spec.%s of CapsuleConfiguration %s: %w", field, obj.GetName(), err)
		}
		if len(values) > 0 {
			cfg.Deprecated["spec."+field] = values
		}
	}
	for _, path := range [][]string{{"status", "users"}, {"spec", "users"}} {
		list, found, err := unstructured.NestedSlice(obj.Object, path...)
		if err != nil {
			return cfg, fmt.Errorf("read %s of CapsuleConfiguration %s: %w", path[1], obj.GetName(), err)
		}
		if found && len(list) > 0 {
			cfg.Users, cfg.Source = subjects(list), path[0]+"."+path[1]
			return cfg, nil
		}
	}
	cfg.Source = "spec.userGroups"
	for _, g := range cfg.Deprecated["spec.userGroups"] {
		cfg.Users = append(cfg.Users, Subject{Kind: "Group", Name: g})
	}
	return cfg, nil
}

func subjects(list []any) []Subject {
	var out []Subject
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		kind, _ := m["kind"].(string)
		name, _ := m["name"].(string)
		if name != "" {
			out = append(out, Subject{Kind: kind, Name: name})
		}
	}
	return out
}
