package oauthreg

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// slowHashSlots admits slow hash runs (argon2, bcrypt, PBKDF2): at most
// count at once, holding at most memKiB of memory between them, and at most
// perKey at once for any one client and for any one owner, so that a flood
// of wrong guesses against one client's expensive hash (or against one
// tenant's clients, or against unknown clients) waits behind itself and
// leaves the other slots to everyone else.
//
// Waiters are served in arrival order among those that may run: one whose
// client or owner is at its share is skipped, not waited for, so it blocks
// nobody; one that waits for global room (count or memory) stops the queue,
// so a hash that needs much memory is not starved by smaller ones.
type slowHashSlots struct {
	mu       sync.Mutex
	count    int    // most runs at once
	memKiB   uint64 // most memory held at once
	perKey   int    // most runs at once per client and per owner
	used     int
	usedMem  uint64
	byKey    map[string]int // "c:" + client ID and "o:" + owner -> runs held
	waiters  []*slotWaiter
	observer func(k slotKey, acquired bool) // tests: called under mu
}

// slotKey says on whose behalf a slow hash runs. Empty fields are not
// counted against any share (hashing an administrator's supplied secret
// has no client yet; internal tests).
type slotKey struct{ client, owner string }

// unknownClientKey is the share of decoy verifications for client IDs that
// do not exist: a flood of made-up IDs competes with itself.
var unknownClientKey = slotKey{client: "\x00unknown", owner: "\x00unknown"}

type slotWaiter struct {
	key   slotKey
	mem   uint64
	ready chan struct{}
	done  bool // granted
}

func newSlowHashSlots(count int, memKiB uint64, perKey int) *slowHashSlots {
	return &slowHashSlots{count: count, memKiB: memKiB, perKey: perKey, byKey: map[string]int{}}
}

// acquire waits for a slot for a run of key needing mem KiB, or for ctx to
// end (an error wrapping ctx.Err()). A run needing more than the whole
// memory budget waits until it can run alone. waited is false when the slot
// was granted, or ctx found done, without waiting.
func (s *slowHashSlots) acquire(ctx context.Context, key slotKey, mem uint64) (waited bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("oauthreg: waiting for a slow-hash slot: %w", err)
	}
	mem = min(mem, s.memKiB)
	w := &slotWaiter{key: key, mem: mem, ready: make(chan struct{})}
	s.mu.Lock()
	s.waiters = append(s.waiters, w)
	s.dispatch()
	granted := w.done
	s.mu.Unlock()
	if granted {
		return false, nil
	}
	select {
	case <-w.ready:
		return true, nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	if w.done {
		s.mu.Unlock()
		s.release(key, mem)
	} else {
		s.waiters = slices.DeleteFunc(s.waiters, func(x *slotWaiter) bool { return x == w })
		s.dispatch() // w may have been the one holding the queue up
		s.mu.Unlock()
	}
	return true, fmt.Errorf("oauthreg: waiting for a slow-hash slot: %w", ctx.Err())
}

// release gives back what acquire took for key and mem.
func (s *slowHashSlots) release(key slotKey, mem uint64) {
	mem = min(mem, s.memKiB)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used--
	s.usedMem -= mem
	s.adjust(key, -1)
	if s.observer != nil {
		s.observer(key, false)
	}
	s.dispatch()
}

// dispatch grants slots to waiters, in order, while there is room. Called
// with mu held.
func (s *slowHashSlots) dispatch() {
	kept := s.waiters[:0]
	blocked := false
	for _, w := range s.waiters {
		switch {
		case blocked || s.atShare(w.key):
			kept = append(kept, w)
		case s.used >= s.count || s.usedMem+w.mem > s.memKiB:
			blocked = true // first in line for global room: later ones wait too
			kept = append(kept, w)
		default:
			s.used++
			s.usedMem += w.mem
			s.adjust(w.key, +1)
			w.done = true
			if s.observer != nil {
				s.observer(w.key, true)
			}
			close(w.ready)
		}
	}
	clear(s.waiters[len(kept):])
	s.waiters = kept
}

// atShare reports whether key's client or owner already holds its share.
func (s *slowHashSlots) atShare(k slotKey) bool {
	return (k.client != "" && s.byKey["c:"+k.client] >= s.perKey) ||
		(k.owner != "" && s.byKey["o:"+k.owner] >= s.perKey)
}

func (s *slowHashSlots) adjust(k slotKey, d int) {
	for _, name := range []string{"c:" + k.client, "o:" + k.owner} {
		if len(name) == 2 {
			continue
		}
		if n := s.byKey[name] + d; n > 0 {
			s.byKey[name] = n
		} else {
			delete(s.byKey, name)
		}
	}
}

// held reports how many runs hold a slot.
func (s *slowHashSlots) held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

// waiting reports how many runs wait for a slot.
func (s *slowHashSlots) waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waiters)
}

// slotKeyContext carries the slotKey a slow hash runs for.
type slotKeyContext struct{}

// withSlotKey returns ctx carrying k, for the slow hashes run under it.
func withSlotKey(ctx context.Context, k slotKey) context.Context {
	return context.WithValue(ctx, slotKeyContext{}, k)
}

func slotKeyFrom(ctx context.Context) slotKey {
	k, _ := ctx.Value(slotKeyContext{}).(slotKey)
	return k
}
