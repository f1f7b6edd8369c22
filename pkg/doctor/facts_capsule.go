package doctor

import (
	"context"
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The facts about Capsule.
const (
	factCapsuleAPI    Key[map[string]bool] = "capsule-api"
	factCapsuleConfig Key[CapsuleConfig]   = "capsule-config"
)

// capsuleGroupVersion is the API Capsule v0.14 stores its objects in.
var capsuleGroupVersion = schema.GroupVersion{Group: "capsule.clastix.io", Version: "v1beta2"}

// CapsuleConfigName is the CapsuleConfiguration the Capsule controller and capsule-proxy read.
const CapsuleConfigName = "default"

// Subject is a Capsule user entry: a User, Group or ServiceAccount name.
type Subject struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// CapsuleConfig is what doctor needs from CapsuleConfiguration default: who counts as a Capsule user.
type CapsuleConfig struct {
	Users []Subject
	// Source says where Users came from: status.users (computed by the controller), spec.users or the
	// deprecated spec.userGroups.
	Source string
}

// Groups returns the names of the Capsule user groups.
func (c CapsuleConfig) Groups() []string {
	var out []string
	for _, s := range c.Users {
		if s.Kind == "Group" {
			out = append(out, s.Name)
		}
	}
	return out
}

func capsuleFacts(env Env) []Fact {
	return []Fact{
		Define(factCapsuleAPI, nil, func(ctx context.Context, _ Facts) (map[string]bool, error) {
			list, err := env.Kube.Discovery().ServerResourcesForGroupVersion(capsuleGroupVersion.String())
			if notFound(err) {
				return map[string]bool{}, nil
			}
			if err != nil {
				return nil, wrapAccess(access{Verb: "get", NonResourceURL: "/apis/" + capsuleGroupVersion.String()}, err)
			}
			served := map[string]bool{}
			for _, r := range list.APIResources {
				served[r.Name] = true
			}
			return served, nil
		}),
		Define(factCapsuleConfig, nil, func(ctx context.Context, _ Facts) (CapsuleConfig, error) {
			gvr := capsuleGroupVersion.WithResource("capsuleconfigurations")
			obj, err := env.Dynamic.Resource(gvr).Get(ctx, CapsuleConfigName, metav1.GetOptions{})
			if err != nil {
				return CapsuleConfig{}, wrapAccess(access{Verb: "get", Group: gvr.Group, Resource: gvr.Resource, Name: CapsuleConfigName}, err)
			}
			return readCapsuleConfig(obj)
		}),
	}
}

// capsuleUsersFact gives the identity checks the Capsule users of factCapsuleConfig, so that a run reads
// and parses CapsuleConfiguration once.
func capsuleUsersFact() Fact {
	return Define(idCapsuleUsers, []FactName{factCapsuleConfig.Name()}, func(_ context.Context, in Facts) ([]rbacv1.Subject, error) {
		cfg, err := factCapsuleConfig.Get(in)
		return cfg.subjects(), err
	})
}

// subjects are the Capsule users as RBAC subjects.
func (c CapsuleConfig) subjects() []rbacv1.Subject {
	var out []rbacv1.Subject
	for _, u := range c.Users {
		out = append(out, rbacv1.Subject{Kind: u.Kind, Name: u.Name})
	}
	return out
}

// readCapsuleConfig prefers status.users, which the controller computes and capsule-proxy reads, and
// falls back to spec.users and the deprecated spec.userGroups.
func readCapsuleConfig(obj *unstructured.Unstructured) (CapsuleConfig, error) {
	for _, path := range [][]string{{"status", "users"}, {"spec", "users"}} {
		list, found, err := unstructured.NestedSlice(obj.Object, path...)
		if err != nil {
			return CapsuleConfig{}, fmt.Errorf("read %s of CapsuleConfiguration %s: %w", path[1], obj.GetName(), err)
		}
		if found && len(list) > 0 {
			return CapsuleConfig{Users: subjects(list), Source: path[0] + "." + path[1]}, nil
		}
	}
	groups, _, err := unstructured.NestedStringSlice(obj.Object, "spec", "userGroups")
	if err != nil {
		return CapsuleConfig{}, fmt.Errorf("read spec.userGroups of CapsuleConfiguration %s: %w", obj.GetName(), err)
	}
	cfg := CapsuleConfig{Source: "spec.userGroups"}
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
