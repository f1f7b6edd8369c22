package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// The scale of BenchmarkDoctorScale: alice owns tenant-a (two namespaces) and benchTenants more
// tenants of benchNamespacesPerTenant namespaces each: 200 tenants, 1,992 namespaces.
const (
	benchTenants             = 199
	benchNamespacesPerTenant = 10
)

// BenchmarkDoctorScale compares doctor with alice's token at tenant-a's two namespaces with doctor
// once alice owns 200 tenants and about 2,000 namespaces. It reports each scale's median wall time per
// run (the machine is shared: a mean follows whatever else ran meanwhile) and API requests (client-go's,
// counted from -v 6), and time-ratio and request-ratio (large/small); it asserts no time.
//
//	hack/ci/e2e.sh -test.run '^$' -test.bench DoctorScale -test.benchtime 9x
func BenchmarkDoctorScale(b *testing.B) {
	installHeadlamp(b)
	file, _ := userToken(b, stack.Alice.Email, stack.HeadlampClientID, nil)
	args := []string{"doctor", "-o", "json", "--authentication-config", authConfigFile(), "--token-file", file}
	var small doctorCost
	b.Run("namespaces=2", func(b *testing.B) { small = benchDoctor(b, args) })
	addBenchTenants(b)
	b.Run("namespaces=2000", func(b *testing.B) {
		large := benchDoctor(b, args)
		if small.median() == 0 || small.requests == 0 {
			return
		}
		b.ReportMetric(float64(large.median())/float64(small.median()), "time-ratio")
		b.ReportMetric(float64(large.requests)/float64(small.requests), "request-ratio")
	})
}

// doctorCost is what doctor runs cost at one scale: the wall time of each, and the API requests of one.
type doctorCost struct {
	walls    []time.Duration
	requests int
}

// sorted is the runs' wall times, shortest first.
func (c doctorCost) sorted() []time.Duration { return slices.Sorted(slices.Values(c.walls)) }

// median is the middle run's wall time; zero without runs.
func (c doctorCost) median() time.Duration {
	if len(c.walls) == 0 {
		return 0
	}
	return c.sorted()[len(c.walls)/2]
}

// benchDoctor counts one run's requests (-v 6, untimed), then times b.N runs of doctor.
func benchDoctor(b *testing.B, args []string) doctorCost {
	b.StopTimer()
	counted := runPlugin(b, nil, adminEnv(), append(args, "-v", "6")...)
	mustSucceed(b, counted)
	cost := doctorCost{requests: strings.Count(counted.Stderr, `"Response" verb=`)}
	b.StartTimer()
	for range b.N {
		start := time.Now()
		run := runPlugin(b, nil, adminEnv(), args...)
		cost.walls = append(cost.walls, time.Since(start))
		mustSucceed(b, run)
	}
	b.StopTimer()
	b.Logf("wall per run, sorted: %v", cost.sorted())
	b.ReportMetric(float64(cost.median().Milliseconds()), "ms/run")
	b.ReportMetric(float64(cost.requests), "requests")
	return cost
}

var benchTenantsOnce sync.Once

// addBenchTenants creates the bench tenants, owned by alice's group, and their namespaces the way
// Capsule's webhook would leave them, then waits until Capsule counted every namespace. They stay
// until the sandbox stops: deleting 2,000 namespaces would outlast the benchmark.
func addBenchTenants(b *testing.B) {
	benchTenantsOnce.Do(func() {
		cfg := sb.AdminConfig()
		cfg.QPS, cfg.Burst = 200, 400
		kube, dyn := kubernetes.NewForConfigOrDie(cfg), dynamic.NewForConfigOrDie(cfg)
		ctx := b.Context()
		start := time.Now()
		errs := make(chan error, benchTenants)
		sem := make(chan struct{}, 8)
		for i := range benchTenants {
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				errs <- addBenchTenant(ctx, kube, dyn, fmt.Sprintf("bench-%03d", i))
			}()
		}
		for range benchTenants {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		waitBenchCounted(b, dyn)
		waitCapsuleQuiet(b, dyn)
		b.Logf("%d tenants with %d namespaces each added in %s", benchTenants, benchNamespacesPerTenant, time.Since(start).Round(time.Second))
	})
}

var (
	tenantsGVR      = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "tenants"}
	ruleStatusesGVR = schema.GroupVersionResource{Group: "capsule.clastix.io", Version: "v1beta2", Resource: "rulestatuses"}
)

func addBenchTenant(ctx context.Context, kube kubernetes.Interface, dyn dynamic.Interface, name string) error {
	t := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "capsule.clastix.io/v1beta2", "kind": "Tenant", "metadata": map[string]any{"name": name},
		"spec": map[string]any{"owners": []any{map[string]any{"kind": "Group", "name": stack.TenantOwnerGroup}}}}}
	t, err := dyn.Resource(tenantsGVR).Create(ctx, t, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("create tenant %s: %w", name, err)
	}
	yes := true
	for j := range benchNamespacesPerTenant {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-ns%02d", name, j),
			Labels: map[string]string{stack.TenantLabel: name},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "capsule.clastix.io/v1beta2", Kind: "Tenant", Name: name,
				UID: t.GetUID(), Controller: &yes, BlockOwnerDeletion: &yes}}}}
		if _, err := kube.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("create namespace %s: %w", ns.Name, err)
		}
	}
	return nil
}

// waitBenchCounted waits until Capsule's controller lists every bench namespace in its tenant's status,
// so that the runs measure doctor, not a controller catching up.
func waitBenchCounted(b *testing.B, dyn dynamic.Interface) {
	eventuallyWithin(b, 15*time.Minute, "Capsule counted the bench namespaces", func(ctx context.Context) error {
		list, err := dyn.Resource(tenantsGVR).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		pending := 0
		for _, t := range list.Items {
			ns, _, _ := unstructured.NestedStringSlice(t.Object, "status", "namespaces")
			if strings.HasPrefix(t.GetName(), "bench-") && len(ns) < benchNamespacesPerTenant {
				pending++
			}
		}
		if pending > 0 {
			return fmt.Errorf("%d tenants not yet counted", pending)
		}
		return nil
	})
}

// capsuleQuietFor is how long Capsule's RuleStatuses must stay unchanged before the large runs start.
const capsuleQuietFor = 10 * time.Second

// waitCapsuleQuiet waits until Capsule has a RuleStatus in every bench namespace and stopped rewriting
// them. Capsule reconciles one per namespace after the Tenant counted it, a few a second: at 2,000
// namespaces that catch-up lasts minutes after waitBenchCounted, keeps the API server busy, and was
// measured as doctor's cost.
func waitCapsuleQuiet(b *testing.B, dyn dynamic.Interface) {
	ctx, cancel := context.WithTimeout(b.Context(), 15*time.Minute)
	defer cancel()
	var last string
	for {
		now, err := ruleStatusVersions(ctx, dyn)
		switch {
		case err != nil:
			b.Logf("list rule statuses: %v", err)
		case now != "" && now == last:
			return
		}
		last = now
		select {
		case <-ctx.Done():
			b.Fatalf("Capsule did not stop writing rule statuses: %v", context.Cause(ctx))
		case <-time.After(capsuleQuietFor):
		}
	}
}

// ruleStatusVersions is the resourceVersions of the bench namespaces' RuleStatuses, or "" while some
// namespace has none yet.
func ruleStatusVersions(ctx context.Context, dyn dynamic.Interface) (string, error) {
	list, err := dyn.Resource(ruleStatusesGVR).List(ctx, metav1.ListOptions{})
	if err != nil {
		return "", err
	}
	var versions []string
	for _, rs := range list.Items {
		if strings.HasPrefix(rs.GetNamespace(), "bench-") {
			versions = append(versions, rs.GetNamespace()+"/"+rs.GetName()+"@"+rs.GetResourceVersion())
		}
	}
	if len(versions) < benchTenants*benchNamespacesPerTenant {
		return "", nil
	}
	slices.Sort(versions)
	return strings.Join(versions, ","), nil
}
