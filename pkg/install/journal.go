package install

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// restoreTimeout bounds putting the objects back after a failed write. The restore runs even when
// the command was interrupted (Ctrl-C midway must not leave the Secret new and the Deployment old),
// so it cannot stop with the command's context.
const restoreTimeout = time.Minute

// journal records the objects install has begun to write, in order, with the snapshot taken before
// the first write: what restore needs to put each back as it was.
type journal struct {
	namespace string
	before    snapshot
	written   []ref
}

// writing records that r is about to be written. It is called before each write, because a write
// that failed may still have been stored (a timeout after the API server took it).
func (j *journal) writing(r ref) {
	for _, w := range j.written {
		if w == r {
			return
		}
	}
	j.written = append(j.written, r)
}

// restoreFailure is an object restore could not put back.
type restoreFailure struct {
	ref ref
	err error
}

// restore puts every object written back as the snapshot holds it, the last written first: an
// object this run created is deleted, one it changed or took over gets its previous content and
// field owners back, one it deleted is created again. It returns the objects it put back and those
// it could not.
func (j *journal) restore(ctx context.Context, c Clients) (restored []ref, failed []restoreFailure) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	for i := len(j.written) - 1; i >= 0; i-- {
		r := j.written[i]
		changed, err := restoreOne(ctx, c, j.namespace, r, j.before[r])
		switch {
		case err != nil:
			failed = append(failed, restoreFailure{r, err})
		case changed:
			restored = append(restored, r)
		}
	}
	return restored, failed
}

// WriteError is a write that failed after others had been made, and what restore did about them.
type WriteError struct {
	// Write names the write that failed, like "apply deployment.apps/headlamp".
	Write string
	Err   error
	// Restored are the objects put back as they were; NotRestored those that could not be, each
	// with what to do by hand.
	Restored    []ObjectRef
	NotRestored []string
}

func (e *WriteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: %v", e.Write, e.Err)
	switch {
	case len(e.NotRestored) > 0:
		if len(e.Restored) > 0 {
			fmt.Fprintf(&b, "\nthe objects already written were restored: %s", joinNames(e.Restored))
		}
		b.WriteString("\nthese could not be restored; put them back by hand:")
		for _, n := range e.NotRestored {
			fmt.Fprintf(&b, "\n  - %s", n)
		}
	case len(e.Restored) > 0:
		fmt.Fprintf(&b, "\nthe objects already written were restored: %s", joinNames(e.Restored))
	default:
		b.WriteString("\nnothing had been changed yet; nothing was changed")
	}
	return b.String()
}

func (e *WriteError) Unwrap() error { return e.Err }

// joinNames lists objects as kubectl names them: "secret/headlamp-oidc, configmap/headlamp-oidc".
func joinNames[T fmt.Stringer](refs []T) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.String()
	}
	return strings.Join(names, ", ")
}

// failed restores what was written before a write failed and says so.
func (j *journal) failed(ctx context.Context, c Clients, write string, err error) error {
	restored, failures := j.restore(ctx, c)
	return j.report(write, err, restored, failures)
}

// report is the error of a failed write, with what restore did.
func (j *journal) report(write string, err error, restored []ref, failures []restoreFailure) error {
	werr := &WriteError{Write: write, Err: err}
	for _, r := range restored {
		werr.Restored = append(werr.Restored, r.public())
	}
	for _, f := range failures {
		werr.NotRestored = append(werr.NotRestored, fmt.Sprintf("%s: %v (%s)", f.ref, f.err, j.byHand(f.ref)))
	}
	return werr
}

// byHand says how to put one object back without install.
func (j *journal) byHand(r ref) string {
	if j.before[r] == nil {
		return fmt.Sprintf("install created it: kubectl -n %s delete %s", j.namespace, r)
	}
	return fmt.Sprintf("it was changed: compare with kubectl -n %s get %s -o yaml, or run install again once the failure above is fixed", j.namespace, r)
}
