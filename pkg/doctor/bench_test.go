package doctor

import (
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// BenchmarkRun reports how much the concurrent runner saves over running the checks one by one
// (serial-ratio: wall time / sum of check durations) and how close it gets to the longest dependency
// chain (chain-ratio). With a hung proxy, timeout-ratio is wall time / --timeout.
func BenchmarkRun(b *testing.B) {
	w := doctortest.NewWorld(b)
	c := config(w.Env(b))
	c.CheckTimeout = 5 * time.Second
	var wall, serial, chain time.Duration
	for b.Loop() {
		r, err := Diagnose(b.Context(), c)
		if err != nil {
			b.Fatal(err)
		}
		wall += r.Duration
		serial += sumDurations(r)
		chain += longestChain(catalogue.Checks(), r)
	}
	b.ReportMetric(float64(wall)/float64(serial), "serial-ratio")
	b.ReportMetric(float64(wall)/float64(chain), "chain-ratio")
}

func BenchmarkRunHungProxy(b *testing.B) {
	w := doctortest.NewWorld(b)
	w.Hang = true
	c := config(w.Env(b))
	const timeout = 300 * time.Millisecond
	c.Timeout, c.CheckTimeout = timeout, time.Minute
	var wall time.Duration
	for b.Loop() {
		r, err := Diagnose(b.Context(), c)
		if err != nil {
			b.Fatal(err)
		}
		wall += r.Duration
	}
	b.ReportMetric(float64(wall)/float64(timeout)/float64(b.N), "timeout-ratio")
}

func sumDurations(r engine.Report) time.Duration {
	var d time.Duration
	for _, o := range r.Outcomes {
		d += o.Duration
	}
	return d
}

// longestChain is the largest sum of durations along a dependency path.
func longestChain(checks []engine.Check, r engine.Report) time.Duration {
	dur := map[engine.ID]time.Duration{}
	for _, o := range r.Outcomes {
		dur[o.ID] = o.Duration
	}
	end := map[engine.ID]time.Duration{}
	var longest time.Duration
	for _, c := range checks { // dependencies come first in the catalogue
		var start time.Duration
		for _, d := range c.DependsOn {
			start = max(start, end[d])
		}
		end[c.ID] = start + dur[c.ID]
		longest = max(longest, end[c.ID])
	}
	return longest
}
