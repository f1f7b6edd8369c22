package identity

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Verdict is what the user meets on one view.
type Verdict string

// The verdicts of a view. Forbidden is information (a tenant is not meant to see every view); only a
// user who sees nothing at all has a problem.
const (
	VerdictWorks     Verdict = "works"
	VerdictEmpty     Verdict = "empty"     // the list answered, with nothing in it
	VerdictForbidden Verdict = "forbidden" // 403, or capsule-proxy's "not allowed" for a kind the tenant was not granted
	VerdictFailed    Verdict = "failed"    // any other error answer
	VerdictUnknown   Verdict = "unknown"   // doctor could not ask (no answer, no connection)
	VerdictNotAsked  Verdict = "not asked" // a namespaced view, with no namespace visible to ask in
)

// ProxyRequest is one request doctor sends through capsule-proxy as the user.
type ProxyRequest struct {
	Method, Path string
	Body         []byte
	Accept       string // "" asks for JSON
}

// ProxyAnswer is capsule-proxy's answer: the HTTP status and the start of the body, or why none came.
type ProxyAnswer struct {
	Code int
	Body []byte
	Err  error
}

// View is what one call of Headlamp's first pages answered the user.
type View struct {
	View    string  `json:"view"`
	Verb    string  `json:"verb"`
	Path    string  `json:"path"`
	Code    int     `json:"statusCode,omitempty"`
	Verdict Verdict `json:"verdict"`
	// Items is how many objects a list that answered holds (at most one page); More is set when the
	// page was full.
	Items *int `json:"items,omitempty"`
	More  bool `json:"more,omitempty"`
	// Message is the refusal or error, in the server's words.
	Message string `json:"message,omitempty"`
	// resource marks a list of objects the user looks at (see viewCall).
	resource bool
	// names are the objects a list that answered holds, when its answer names them.
	names []string
}

// judgeView reads capsule-proxy's answer to c.
func judgeView(c viewCall, a ProxyAnswer) View {
	v := View{View: c.Name, Verb: c.Verb, Path: c.Path, Code: a.Code, resource: c.Resource}
	if a.Err != nil {
		v.Verdict, v.Code, v.Message = VerdictUnknown, 0, a.Err.Error()
		return v
	}
	var body answerBody
	decoded := json.Unmarshal(a.Body, &body) == nil
	// capsule-proxy writes a module's refusal (a Status, "not allowed") before its handler panics: the
	// answer's status line may still say 200. The Status inside is what the user meets.
	if decoded && body.Kind == "Status" && body.Status == "Failure" {
		v.Code = cmp.Or(body.Code, v.Code)
	}
	switch {
	case v.Code >= 200 && v.Code < 300 && c.Verb == "list" && decoded:
		n := body.count()
		v.Items, v.More, v.Verdict = &n, body.Metadata.Continue != "", VerdictWorks
		v.names, _ = body.listed() // a view is judged on its count; names only tell which
		if n == 0 {
			v.Verdict = VerdictEmpty
		}
	case v.Code >= 200 && v.Code < 300:
		v.Verdict = VerdictWorks
	case v.Code == http.StatusForbidden || v.Code == http.StatusBadRequest && body.Message == "not allowed":
		v.Verdict, v.Message = VerdictForbidden, statusMessage(string(a.Body))
	default:
		v.Verdict, v.Message = VerdictFailed, statusMessage(string(a.Body))
	}
	return v
}

// answerBody is what judgeView reads of an answer: a Status, a list or a Table.
type answerBody struct {
	listAnswer
	Status  string `json:"status"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// namespacesView is the namespace list of TENANT-NAMESPACES as a view.
func namespacesView(nf NamespacesFact) View {
	v := View{View: viewNamespaces.Name, Verb: viewNamespaces.Verb, Path: viewNamespaces.Path, resource: true}
	var st apierrors.APIStatus
	switch {
	case nf.Err == nil:
		n := len(nf.Names)
		v.Code, v.Items, v.Verdict = http.StatusOK, &n, VerdictWorks
		if n == 0 {
			v.Verdict = VerdictEmpty
		}
	case errors.As(nf.Err, &st):
		v.Code, v.Message, v.Verdict = int(st.Status().Code), st.Status().Message, VerdictFailed
		if v.Code == http.StatusForbidden {
			v.Verdict = VerdictForbidden
		}
	default:
		v.Verdict, v.Message = VerdictUnknown, nf.Err.Error()
	}
	return v
}

// Views is the table of TENANT-VIEWS, view by view.
type Views []View

// TableRows prints each view with its request, answer and verdict.
func (vs Views) TableRows() ([]string, [][]string) {
	rows := make([][]string, 0, len(vs))
	for _, v := range vs {
		code := "-"
		if v.Code != 0 {
			code = fmt.Sprint(v.Code)
		}
		rows = append(rows, []string{v.View, strings.ToUpper(v.Verb), v.Path, code, v.detail()})
	}
	return []string{"VIEW", "VERB", "PATH", "CODE", "VERDICT"}, rows
}

// detail is the verdict with what backs it: how many objects, or the server's words.
func (v View) detail() string {
	switch {
	case v.Items != nil && v.Verdict == VerdictWorks && v.More:
		return fmt.Sprintf("%s (%d+)", v.Verdict, *v.Items)
	case v.Items != nil && v.Verdict == VerdictWorks:
		return fmt.Sprintf("%s (%d)", v.Verdict, *v.Items)
	case v.Message != "":
		return fmt.Sprintf("%s: %s", v.Verdict, v.Message)
	}
	return string(v.Verdict)
}
