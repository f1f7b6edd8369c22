package install

import (
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// dryRun reports whether an action asks for a server-side dry run.
func dryRun(a k8stesting.Action) bool {
	switch a := a.(type) {
	case k8stesting.PatchActionImpl:
		return len(a.GetPatchOptions().DryRun) > 0
	case k8stesting.DeleteActionImpl:
		return len(a.GetDeleteOptions().DryRun) > 0
	case k8stesting.CreateActionImpl:
		return len(a.GetCreateOptions().DryRun) > 0
	case k8stesting.UpdateActionImpl:
		return len(a.GetUpdateOptions().DryRun) > 0
	}
	return false
}

// isWrite reports whether an action would store something (a dry run does not).
func isWrite(a k8stesting.Action) bool {
	switch a.GetVerb() {
	case "create", "update", "patch", "delete":
		return a.GetResource().Resource != "selfsubjectaccessreviews" && !dryRun(a)
	}
	return false
}

// honourDryRun makes the fake API server answer dry runs without storing anything, as a real one
// does (the fake tracker would store them). refuse, when it returns an error for an action, makes
// the dry run fail with it, as admission or validation would.
func honourDryRun(cs *fake.Clientset, refuse func(k8stesting.Action) error) {
	cs.PrependReactor("*", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if !dryRun(a) {
			return false, nil, nil
		}
		if refuse != nil {
			if err := refuse(a); err != nil {
				return true, nil, err
			}
		}
		if a.GetVerb() == "delete" {
			_, err := cs.Tracker().Get(a.GetResource(), a.GetNamespace(), a.(k8stesting.DeleteActionImpl).GetName())
			return true, nil, err
		}
		return true, nil, nil
	})
}

// writeLog records the writes that reach the fake API server, in order, as "verb resource/name".
type writeLog struct {
	mu     sync.Mutex
	writes []string
}

func (l *writeLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.writes...)
}

// recordWrites logs every write, and fails the one fail returns an error for (after logging it).
func recordWrites(cs *fake.Clientset, fail func(n int, a k8stesting.Action) error) *writeLog {
	l := &writeLog{}
	cs.PrependReactor("*", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if !isWrite(a) {
			return false, nil, nil
		}
		l.mu.Lock()
		l.writes = append(l.writes, describeAction(a))
		n := len(l.writes)
		l.mu.Unlock()
		if fail != nil {
			if err := fail(n, a); err != nil {
				return true, nil, err
			}
		}
		return false, nil, nil
	})
	return l
}

func describeAction(a k8stesting.Action) string {
	name := ""
	switch a := a.(type) {
	case k8stesting.PatchActionImpl:
		name = a.GetName()
	case k8stesting.DeleteActionImpl:
		name = a.GetName()
	case k8stesting.CreateActionImpl:
		if o, ok := a.GetObject().(interface{ GetName() string }); ok {
			name = o.GetName()
		}
	case k8stesting.UpdateActionImpl:
		if o, ok := a.GetObject().(interface{ GetName() string }); ok {
			name = o.GetName()
		}
	}
	return fmt.Sprintf("%s %s/%s", a.GetVerb(), a.GetResource().Resource, name)
}
