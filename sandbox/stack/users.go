package stack

// User is a static Dex user.
type User struct {
	Email    string
	Password string
	Groups   []string
}

// The sandbox's users. Alice owns tenant-a through group tenant-a-owners, a Capsule user group;
// Bob is authenticated but in no Capsule group.
var (
	Alice = User{Email: "alice@example.com", Password: "alice-password", Groups: []string{"tenant-a-owners", "developers"}}
	Bob   = User{Email: "bob@example.com", Password: "bob-password", Groups: []string{"developers"}}
)

// Users lists every static user.
func Users() []User { return []User{Alice, Bob} }

// Capsule names used by the fixtures.
const (
	CapsuleNamespace  = "capsule-system"
	TenantName        = "tenant-a"
	TenantOwnerGroup  = "tenant-a-owners"
	TenantLabel       = "capsule.clastix.io/tenant"
	ProxySecretName   = "capsule-proxy"
	ProxyServiceName  = "capsule-proxy"
	CapsuleConfigName = "default"
)

// TenantNamespaces are the namespaces tenant-a owns.
var TenantNamespaces = []string{"tenant-a-dev", "tenant-a-prod"}

// DefaultScopes are the scopes Token asks for when none are given: groups only come with "groups".
var DefaultScopes = []string{"openid", "email", "groups", "profile", "offline_access"}

// userByEmail finds a static user.
func userByEmail(email string) (User, bool) {
	for _, u := range Users() {
		if u.Email == email {
			return u, true
		}
	}
	return User{}, false
}
