package oauthreg

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestLastUsedGateReservesOncePerInterval: one write per secret per
// interval, secrets of one client gated apart, and a reservation still in
// force is never forgotten, however many other secrets come and go.
func TestLastUsedGateReservesOncePerInterval(t *testing.T) {
	var g lastUsedGate
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const interval = time.Minute
	if !g.allow("c1", "s1", t0, interval) {
		t.Fatal("first use not allowed")
	}
	if g.allow("c1", "s1", t0.Add(59*time.Second), interval) {
		t.Fatal("second use within the interval allowed")
	}
	if !g.allow("c1", "s2", t0.Add(time.Second), interval) {
		t.Fatal("another secret of the same client gated by the first")
	}
	if !g.allow("c2", "s1", t0.Add(time.Second), interval) {
		t.Fatal("another client gated by the first")
	}
	// Churn: many other clients within the interval, and the generations
	// turn over; s2's reservation (until t0+61s) must hold throughout.
	for i := range 10_000 {
		at := t0.Add(time.Second + time.Duration(i)*6*time.Millisecond) // up to t0+61s
		if at.Before(t0.Add(61*time.Second)) && g.allow("c1", "s2", at, interval) {
			t.Fatalf("s2 allowed again at %v, inside its interval", at.Sub(t0))
		}
		g.allow("churn-"+strconv.Itoa(i), "s", at, interval)
	}
	if !g.allow("c1", "s1", t0.Add(time.Minute), interval) {
		t.Fatal("use after the interval not allowed")
	}
	if !g.allow("c1", "s2", t0.Add(61*time.Second), interval) {
		t.Fatal("s2 not allowed once its interval is over")
	}
}

// TestLastUsedGateLateCaller: a caller that read the clock just before
// another one but reaches the gate after it must not get a second
// reservation (concurrent authentications under load); a clock that went
// back by more than an interval still resets the gate.
func TestLastUsedGateLateCaller(t *testing.T) {
	var g lastUsedGate
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const interval = time.Minute
	if !g.allow("c1", "s1", t0.Add(10*time.Millisecond), interval) {
		t.Fatal("first use not allowed")
	}
	if g.allow("c1", "s1", t0, interval) {
		t.Fatal("a caller whose time is 10ms earlier got a second reservation")
	}
	if !g.allow("c1", "s1", t0.Add(-2*time.Minute), interval) {
		t.Fatal("after the clock went back by two intervals, the use is not allowed")
	}
}

// TestLastUsedGateForgets: an entry older than the interval is worth
// nothing, so the gate keeps only what was reserved within about two
// intervals, however many clients ever authenticated.
func TestLastUsedGateForgets(t *testing.T) {
	var g lastUsedGate
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const interval = time.Minute
	for i := range 50_000 {
		// 50,000 clients, one a second for about 14 hours.
		g.allow("client-"+strconv.Itoa(i), "secret", t0.Add(time.Duration(i)*time.Second), interval)
	}
	if n := g.entries(); n > 3*60 {
		t.Fatalf("the gate holds %d entries after 50,000 clients at one a second; an interval of a minute needs at most ~120", n)
	}
}

// TestLastUsedGateHeap measures the heap the gate keeps after 1,000,000
// distinct clients authenticated, spread over an hour with the default
// one-minute interval, and all within one interval. Set
// OAUTHREG_MEASURE_LASTUSED=1 to run it (it takes a while and a few hundred
// MB); it reports, it does not judge:
//
//	OAUTHREG_MEASURE_LASTUSED=1 go test -run TestLastUsedGateHeap -v .
func TestLastUsedGateHeap(t *testing.T) {
	if os.Getenv("OAUTHREG_MEASURE_LASTUSED") == "" {
		t.Skip("set OAUTHREG_MEASURE_LASTUSED=1 to measure")
	}
	const clients = 1_000_000
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, clients)
	for i := range ids {
		ids[i] = fmt.Sprintf("0193a5b2-7c1d-7e3f-8a9b-%012d", i) // UUIDv7-shaped
	}
	for _, spread := range []time.Duration{time.Hour, time.Minute} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g := new(lastUsedGate)
		for i, id := range ids {
			g.allow(id, "s2bq6mxk3c4tq2pa", t0.Add(spread*time.Duration(i)/clients), DefaultLastUsedInterval)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		t.Logf("1,000,000 clients over %v: gate keeps %.1f MB (%d entries)", spread,
			float64(after.HeapAlloc-before.HeapAlloc)/1e6, g.entries())
		runtime.KeepAlive(g)
	}
}

// TestLastUsedGateConcurrent: concurrent reservations of one secret let
// exactly one through.
func TestLastUsedGateConcurrent(t *testing.T) {
	var g lastUsedGate
	now := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 64 {
		wg.Go(func() {
			if g.allow("c", "s", now, time.Minute) {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 1 {
		t.Fatalf("%d concurrent reservations allowed, want 1", allowed)
	}
}
