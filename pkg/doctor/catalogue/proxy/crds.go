package proxy

import (
	"context"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// FactCRDs are the resources served in capsule-proxy's API group version, by plural name.
const FactCRDs engine.Key[map[string]bool] = "proxy-crds"

// crdGroupVersion is where capsule-proxy's own kinds live (its chart's CRDs).
const crdGroupVersion = "capsule.clastix.io/v1beta1"

// crdResources are the kinds capsule-proxy indexes at start, by resource name: without either it exits.
var crdResources = []struct{ Resource, Kind string }{
	{"proxysettings", "ProxySetting"},
	{"globalproxysettings", "GlobalProxySettings"},
}

func crdFacts(env area.Env) []engine.Fact {
	return []engine.Fact{engine.Define(FactCRDs, nil, func(context.Context, engine.Facts) (map[string]bool, error) {
		list, err := env.Kube.Discovery().ServerResourcesForGroupVersion(crdGroupVersion)
		if area.NotFound(err) {
			return map[string]bool{}, nil
		}
		if err != nil {
			return nil, area.WrapAccess(area.Access{Verb: "get", NonResourceURL: "/apis/" + crdGroupVersion}, err)
		}
		served := map[string]bool{}
		for _, r := range list.APIResources {
			served[r.Name] = true
		}
		return served, nil
	})}
}

func checkProxyCRDs(_ context.Context, f engine.Facts) engine.Result {
	served, err := FactCRDs.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	var missing []string
	for _, r := range crdResources {
		if !served[r.Resource] {
			missing = append(missing, r.Kind)
		}
	}
	if len(missing) > 0 {
		return engine.Problem("%s not served in %s: capsule-proxy exits at start without its own kinds", strings.Join(missing, " and "), crdGroupVersion).
			With("missing", missing)
	}
	return engine.Pass("ProxySetting and GlobalProxySettings served in %s", crdGroupVersion)
}
