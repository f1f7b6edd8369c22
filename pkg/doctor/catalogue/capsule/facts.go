package capsule

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts about Capsule.
const (
	FactAPI    engine.Key[map[string]bool] = "capsule-api"
	FactConfig engine.Key[Config]          = "capsule-config"
)

// GroupVersion is the API Capsule v0.14 stores its objects in.
var GroupVersion = schema.GroupVersion{Group: "capsule.clastix.io", Version: "v1beta2"}

// ConfigName is the CapsuleConfiguration the Capsule controller and capsule-proxy read.
const ConfigName = "default"

// Subject is a Capsule user entry: a User, Group or ServiceAccount name.
type Subject struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// Config is what doctor needs from CapsuleConfiguration default: who counts as a Capsule user.
type Config struct {
	Users []Subject
	// Source says where Users came from: status.users (computed by the controller), spec.users or the
	// deprecated spec.userGroups.
	Source string
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

// Facts are the facts of the Capsule checks, read with env. CapsuleConfiguration default is read once
// per run, here, for every check that needs it.
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
		engine.Define(FactConfig, nil, func(ctx context.Context, _ engine.Facts) (Config, error) {
			gvr := GroupVersion.WithResource("capsuleconfigurations")
			obj, err := env.Dynamic.Resource(gvr).Get(ctx, ConfigName, metav1.GetOptions{})
			if err != nil {
				return Config{}, area.WrapAccess(area.Access{Verb: "get", Group: gvr.Group, Resource: gvr.Resource, Name: ConfigName}, err)
			}
			return readCapsuleConfig(obj)
		}),
	}
}

// readCapsuleConfig prefers status.users, which the controller computes and capsule-proxy reads, and
// falls back to spec.users and the deprecated spec.userGroups.
func readCapsuleConfig(obj *unstructured.Unstructured) (Config, error) {
	for _, path := range [][]string{{"status", "users"}, {"spec", "users"}} {
		list, found, err := unstructured.NestedSlice(obj.Object, path...)
		if err != nil {
			return Config{}, fmt.Errorf("read %s of CapsuleConfiguration %s: %w", path[1], obj.GetName(), err)
		}
		if found && len(list) > 0 {
			return Config{Users: subjects(list), Source: path[0] + "." + path[1]}, nil
		}
	}
	groups, _, err := unstructured.NestedStringSlice(obj.Object, "spec", "userGroups")
	if err != nil {
		return Config{}, fmt.Errorf("read spec.userGroups of CapsuleConfiguration %s: %w", obj.GetName(), err)
	}
	cfg := Config{Source: "spec.userGroups"}
	for _, g := range groups {
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
