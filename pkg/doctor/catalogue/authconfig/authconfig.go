// Package authconfig reads the API server's AuthenticationConfiguration file given with
// --authentication-config, as the API server would load it, into a fact that Headlamp's checks (which
// scopes the claim mappings need), the API server's (issuer, audiences, claims) and the identity checks
// (what the API server expects of a token) judge. It holds a fact, no checks.
package authconfig

import (
	"context"
	"crypto/sha256"
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	apiserver "k8s.io/apiserver/pkg/apis/apiserver"
	apiserverinstall "k8s.io/apiserver/pkg/apis/apiserver/install"
	"k8s.io/apiserver/pkg/apis/apiserver/validation"
	authenticationcel "k8s.io/apiserver/pkg/authentication/cel"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Fact is the --authentication-config file, decoded and validated; nil when not given.
const Fact engine.Key[*Config] = "authentication-config"

// Config is an AuthenticationConfiguration file as the API server would load it.
type Config struct {
	Path       string
	APIVersion string
	// Config is the decoded file in the API server's internal form; nil when DecodeErr is set.
	Config    *apiserver.AuthenticationConfiguration
	DecodeErr error
	// Invalid is what the API server's validation finds: it would refuse to start with this file.
	Invalid field.ErrorList
	// Hash is "sha256:<hex>" of the file's bytes, as the API server reports it in /metrics.
	Hash string
}

// Facts is the file's fact, from env.AuthConfig.
func Facts(env area.Env) []engine.Fact {
	return []engine.Fact{engine.Define(Fact, nil, func(context.Context, engine.Facts) (*Config, error) {
		if env.AuthConfig == nil {
			return nil, nil
		}
		return Load(env.AuthConfig.Path, env.AuthConfig.Data), nil
	})}
}

// Load decodes data strictly with the API server's scheme (v1alpha1, v1beta1 and v1
// accepted), converts it to the internal form and validates it with the API server's own code. The
// service-account issuers are unknown here, so the check that an issuer does not overlap them is not
// made.
func Load(path string, data []byte) *Config {
	ac := &Config{Path: path, Hash: fmt.Sprintf("sha256:%x", sha256.Sum256(data))}
	scheme := runtime.NewScheme()
	apiserverinstall.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	obj, gvk, err := codecs.UniversalDecoder().Decode(data, nil, nil)
	if err != nil {
		ac.DecodeErr = err
		return ac
	}
	cfg, ok := obj.(*apiserver.AuthenticationConfiguration)
	if !ok {
		ac.DecodeErr = fmt.Errorf("%s is a %s, not an AuthenticationConfiguration", path, gvk.Kind)
		return ac
	}
	ac.APIVersion, ac.Config = gvk.GroupVersion().String(), cfg
	ac.Invalid = validation.ValidateAuthenticationConfiguration(authenticationcel.NewDefaultCompiler(), cfg, nil)
	return ac
}

// JWTFor returns the JWT authenticator whose issuer URL is exactly issuer.
func (ac *Config) JWTFor(issuer string) (apiserver.JWTAuthenticator, bool) {
	if ac == nil || ac.Config == nil {
		return apiserver.JWTAuthenticator{}, false
	}
	for _, j := range ac.Config.JWT {
		if j.Issuer.URL == issuer {
			return j, true
		}
	}
	return apiserver.JWTAuthenticator{}, false
}
