package cli

import (
	"context"
	"errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// load reads what the flags point at: the client secret and the IdP CA. Problems are usage errors
// that name the flag; the secret itself never appears in a message. ctx ends a prompt for the secret.
func (o *installOptions) load(ctx context.Context) error {
	f := &o.flags
	if f.caFile != "" {
		ca, err := readCAFile("--oidc-ca-file", f.caFile)
		var usage *ExitError
		switch {
		case errors.Is(err, trust.ErrTooLarge) && !f.helmValues && errors.As(err, &usage):
			// More than a ConfigMap holds: what install cannot write, INSTALL-IDP-CA reports with the
			// other problems of the plan, and nothing is written.
			o.input.IDPCAErr = usage.Err
		case err != nil:
			return err
		}
		o.input.IDPCA = ca.PEM
	}
	if f.helmValues {
		return nil // the values reference a Secret the user creates
	}
	secret, err := o.givenSecret()
	if err != nil {
		return err
	}
	o.input.ClientSecret = secret
	return nil
}

// givenSecret reads the secret from --oidc-client-secret-file, else the environment; "" when neither
// gives one. It is never taken from a flag value, which would show in ps and shell history. Both go
// through the one credential reader (oidc.NewSecret), so white space means the same everywhere, and a
// secret that is only white space is a usage error rather than an empty Secret written to the cluster.
func (o *installOptions) givenSecret() (string, error) {
	switch file := o.flags.clientSecretFile; {
	case file != "":
		s, err := readCredential("--oidc-client-secret-file", file, o.root.streams.In, "the client secret")
		if err != nil {
			return "", err
		}
		return s.Reveal(), nil
	case o.root.getenv(envClientSecret) != "":
		secret := oidc.NewSecret(o.root.getenv(envClientSecret))
		if secret.IsZero() {
			return "", usageErrorf("$%s holds only white space: set it to the client secret", envClientSecret)
		}
		return secret.Reveal(), nil
	}
	return "", nil
}

// promptedSecret asks for the secret on the terminal. The prompt's errors keep their own exit
// codes: no terminal is a usage error, Ctrl-C 130.
func (o *installOptions) promptedSecret(ctx context.Context) (string, error) {
	typed, err := o.readSecret(ctx)
	if err != nil {
		return "", err
	}
	secret := oidc.NewSecret(typed)
	if secret.IsZero() {
		return "", usageErrorf("the client secret typed at the prompt is empty: type it, or pass --oidc-client-secret-file")
	}
	return secret.Reveal(), nil
}
