// Package benchratio times two operations against each other in one
// benchmark run, for a machine whose speed moves while it runs. It is a
// test helper: only benchmarks import it.
package benchratio

import (
	"slices"
	"testing"
	"time"
)

// Interleave measures how long other takes next to base in one run, for a
// machine whose speed moves while it runs (other processes, frequency
// changes): each iteration of b's loop is one round that times block calls
// of base and block calls of other back to back, in alternating order, and
// the benchmark reports the median of the rounds' ratios (other/base) as
// the metric "ratio", with the quartiles as "ratio-q1" and "ratio-q3". A
// neighbour that slows the machine for a while slows both halves of a
// round, so the ratio keeps still where either time alone does not. The
// time per op is that of a whole round: read the ratio.
//
//	go test -run '^$' -bench BENCH -benchtime 200x .
//
// base and other are called with the call's number, counted separately for
// each; they must not fail silently (call b.Fatal).
func Interleave(b *testing.B, block int, base, other func(i int)) {
	b.Helper()
	var ratios []float64
	ib, io := 0, 0
	run := func(f func(int), i *int) time.Duration {
		start := time.Now()
		for range block {
			f(*i)
			*i++
		}
		return time.Since(start)
	}
	round := 0
	for b.Loop() {
		var tb, to time.Duration
		if round%2 == 0 {
			tb = run(base, &ib)
			to = run(other, &io)
		} else {
			to = run(other, &io)
			tb = run(base, &ib)
		}
		round++
		ratios = append(ratios, float64(to)/float64(tb))
	}
	slices.Sort(ratios)
	q := func(p float64) float64 { return ratios[int(p*float64(len(ratios)-1)+0.5)] }
	b.ReportMetric(q(0.5), "ratio")
	b.ReportMetric(q(0.25), "ratio-q1")
	b.ReportMetric(q(0.75), "ratio-q3")
}
