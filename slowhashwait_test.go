package oauthreg

import (
	"context"
	"sync"
	"testing"
	"time"
)

type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
	ok    []bool
}

func (w *waitRecorder) Observe(context.Context, Event) {}

func (w *waitRecorder) ObserveSlowHashWait(_ context.Context, waited time.Duration, acquired bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits = append(w.waits, waited)
	w.ok = append(w.ok, acquired)
}

// TestSlowHashWaitsAreReported: every slot acquisition is reported, free
// slots as a zero wait, a caller that gave up while every slot was busy as
// not acquired after a wait; observers without the method and panicking
// ones change nothing.
func TestSlowHashWaitsAreReported(t *testing.T) {
	rec := &waitRecorder{}
	panicky := struct {
		ObserverFunc
		SlowHashWaitObserver
	}{ObserverFunc(func(context.Context, Event) {}), nil} // nil method value: calling it panics
	h, err := newHasher(hasherConfig{MaxArgon2: 1})
	if err != nil {
		t.Fatal(err)
	}
	h.onWait = slowHashWaitReporter([]Observer{ObserverFunc(func(context.Context, Event) {}), panicky, rec})

	k, err := h.acquire(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.acquire(ctx, 1); err == nil {
		t.Fatal("acquire with every slot busy succeeded")
	}
	h.release(k, 1)
	if k, err = h.acquire(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	h.release(k, 1)

	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.waits) != 3 {
		t.Fatalf("%d waits reported, want 3: %v", len(rec.waits), rec.waits)
	}
	if rec.waits[0] != 0 || !rec.ok[0] || rec.waits[2] != 0 || !rec.ok[2] {
		t.Errorf("free slots reported as %v/%v and %v/%v, want 0/true", rec.waits[0], rec.ok[0], rec.waits[2], rec.ok[2])
	}
	if rec.ok[1] || rec.waits[1] <= 0 {
		t.Errorf("the abandoned wait was reported as %v/%v, want a positive wait, not acquired", rec.waits[1], rec.ok[1])
	}
	if slowHashWaitReporter([]Observer{ObserverFunc(func(context.Context, Event) {})}) != nil {
		t.Error("a reporter was built for observers that do not want waits")
	}
}
