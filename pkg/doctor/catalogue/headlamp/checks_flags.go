package headlamp

import (
	"context"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func flagsCheck() engine.Check {
	return engine.Check{
		ID: IDFlags, Title: "Headlamp knows every flag and HEADLAMP_CONFIG_* setting it is given", Category: Category,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDFound}, Needs: []engine.FactName{headlampview.FactView.Name()},
		Hint: "Correct or remove <flags> in the container's args and env: every setting is a flag Headlamp defines, " +
			"as -flag-name or HEADLAMP_CONFIG_FLAG_NAME (upper case, - as _); `headlamp-server -help` lists them for the image you run",
		Explain: "Headlamp parses its command line with Go's flag package: an unknown flag stops it at start. " +
			"HEADLAMP_CONFIG_* variables it does not know are ignored without a word, so a misspelt setting " +
			"(HEADLAMP_CONFIG_OIDC_SCOPE) silently keeps the default. The version is read from the image tag; flags are " +
			"judged against " + headlamp.KnownFlagsSource + ", and the result says which version it assumed.",
		Run: checkFlags,
	}
}

func checkFlags(_ context.Context, f engine.Facts) engine.Result {
	h, err := headlampview.FactView.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	version, assumed := headlamp.ImageVersion(h.Image), ""
	switch {
	case version == "":
		assumed = "image " + h.Image + " has no release tag: judged as Headlamp " + headlamp.VerifiedVersion + " and later"
	case version != headlamp.VerifiedVersion:
		assumed = "Headlamp " + version + " is not a version doctor verified: judged as " + headlamp.VerifiedVersion + " and later"
	}
	r := engine.Pass("every flag and HEADLAMP_CONFIG_* setting is one Headlamp defines")
	if len(h.UnknownFlags) > 0 {
		r = engine.Problem("Headlamp does not define %s: an unknown flag stops it at start, an unknown HEADLAMP_CONFIG_* variable is ignored",
			strings.Join(h.UnknownFlags, ", ")).With("unknown", h.UnknownFlags).WithVar("flags", strings.Join(h.UnknownFlags, ", "))
	}
	r = r.With("image", h.Image)
	if assumed != "" {
		r.Message += " (" + assumed + ")"
		return r.With("version assumed", assumed)
	}
	return r.With("version", version)
}
