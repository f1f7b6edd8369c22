package login

import "errors"

// ErrRedirectRefused means the identity provider refuses the redirect URI Headlamp would send: sign-in
// would end on the IdP's error page. The check itself is oidc.CheckRedirectURI, the one doctor uses.
var ErrRedirectRefused = errors.New("the identity provider refuses the redirect URI")
