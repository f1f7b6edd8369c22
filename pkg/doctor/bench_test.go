package doctor

import (
	"testing"
	"time"
)

// BenchmarkRun reports how much the concurrent runner saves over running the checks one by one
// (serial-ratio: wall time / sum of check durations) and how close it gets to the longest dependency
// chain (chain-ratio). With a hung proxy, timeout-ratio is wall time / --timeout.
func BenchmarkRun(b *testing.B) {
	w := newWorld(b)
	env := w.env(b)
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	var wall, serial, chain time.Duration
	for b.Loop() {
		r := Run(b.Context(), p, RunOptions{CheckTimeout: 5 * time.Second})
		wall += r.Duration
		serial += sumDurations(r)
		chain += longestChain(p, r)
	}
	b.ReportMetric(float64(wall)/float64(serial), "serial-ratio")
	b.ReportMetric(float64(wall)/float64(chain), "chain-ratio")
}

func BenchmarkRunHungProxy(b *testing.B) {
	w := newWorld(b)
	w.hang = true
	env := w.env(b)
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	const timeout = 300 * time.Millisecond
	var wall time.Duration
	for b.Loop() {
		wall += Run(b.Context(), p, RunOptions{Timeout: timeout, CheckTimeout: time.Minute}).Duration
	}
	b.ReportMetric(float64(wall)/float64(timeout)/float64(b.N), "timeout-ratio")
}

func sumDurations(r Report) time.Duration {
	var d time.Duration
	for _, o := range r.Outcomes {
		d += o.Duration
	}
	return d
}

// longestChain is the largest sum of durations along a dependency path.
func longestChain(p *Plan, r Report) time.Duration {
	dur := map[ID]time.Duration{}
	for _, o := range r.Outcomes {
		dur[o.ID] = o.Duration
	}
	end := map[ID]time.Duration{}
	var longest time.Duration
	for _, c := range p.Checks() { // dependencies come first in the catalogue
		var start time.Duration
		for _, d := range c.DependsOn {
			start = max(start, end[d])
		}
		end[c.ID] = start + dur[c.ID]
		longest = max(longest, end[c.ID])
	}
	return longest
}
