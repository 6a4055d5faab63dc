package oauthreg

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

// acquireAsync starts an acquire and returns a channel that delivers its
// error once it returns.
func acquireAsync(ctx context.Context, s *slowHashSlots, k slotKey, mem uint64) chan error {
	done := make(chan error, 1)
	go func() {
		_, err := s.acquire(ctx, k, mem)
		done <- err
	}()
	return done
}

// waitQueued waits (without a deadline) until n runs wait.
func waitQueued(s *slowHashSlots, n int) {
	for s.waiting() != n {
		runtime.Gosched()
	}
}

func granted(c chan error) bool {
	select {
	case err := <-c:
		return err == nil
	default:
		return false
	}
}

// TestSlowHashSlotsMemory: runs are admitted by memory as well as count,
// in arrival order: a small run does not overtake a large one waiting for
// room.
func TestSlowHashSlotsMemory(t *testing.T) {
	s := newSlowHashSlots(4, 100, 4)
	x, y, z := slotKey{client: "x"}, slotKey{client: "y"}, slotKey{client: "z"}
	if _, err := s.acquire(t.Context(), x, 60); err != nil {
		t.Fatal(err)
	}
	big := acquireAsync(t.Context(), s, y, 60)
	waitQueued(s, 1)
	small := acquireAsync(t.Context(), s, z, 10)
	waitQueued(s, 2)
	if granted(big) || granted(small) {
		t.Fatal("admitted beyond the memory budget, or out of order")
	}
	s.release(x, 60)
	if err := <-big; err != nil {
		t.Fatal(err)
	}
	if err := <-small; err != nil {
		t.Fatal(err)
	}
	if s.held() != 2 || s.usedMem != 70 {
		t.Fatalf("held %d runs and %d KiB, want 2 and 70", s.held(), s.usedMem)
	}
}

// TestSlowHashSlotsShare: a client (or owner) at its share waits without
// holding up anyone else; unknown clients share one share.
func TestSlowHashSlotsShare(t *testing.T) {
	s := newSlowHashSlots(4, 1000, 1)
	a := slotKey{client: "a", owner: "tenant"}
	if _, err := s.acquire(t.Context(), a, 1); err != nil {
		t.Fatal(err)
	}
	sameOwner := acquireAsync(t.Context(), s, slotKey{client: "a2", owner: "tenant"}, 1)
	waitQueued(s, 1)
	again := acquireAsync(t.Context(), s, a, 1)
	waitQueued(s, 2)
	if _, err := s.acquire(t.Context(), slotKey{client: "b", owner: "other"}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.acquire(t.Context(), unknownClientKey, 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	unknown2 := acquireAsync(ctx, s, unknownClientKey, 1)
	waitQueued(s, 3)
	if granted(sameOwner) || granted(again) || granted(unknown2) {
		t.Fatal("a run beyond its client's or owner's share was admitted")
	}
	cancel()
	if err := <-unknown2; !errors.Is(err, context.Canceled) {
		t.Fatalf("a canceled wait returned %v", err)
	}
	waitQueued(s, 2)
	s.release(a, 1)
	if err := <-sameOwner; err != nil {
		t.Fatal(err)
	}
	if granted(again) {
		t.Fatal("admitted while its owner is at its share")
	}
	s.release(slotKey{client: "a2", owner: "tenant"}, 1)
	if err := <-again; err != nil {
		t.Fatal(err)
	}
}
