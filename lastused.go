package oauthreg

import (
	"context"
	"encoding/binary"
	"hash/maphash"
	"sync"
	"time"
)

// lastUsedGate lets at most one last-used write through per interval per
// secret of a client in this process. Together with the LastUsedAt already
// stored (which other processes sharing the store also see), it keeps
// authentication a read in the common case: 10,000 authentications of one
// client with one secret in a minute cause one write. Gating per secret, not
// per client, is what lets an operator see that an old secret is still in
// use while the new one is busy.
//
// A reservation older than the interval is worth nothing, so the gate
// forgets it: each shard keeps two generations of reservations and drops
// the older one once a whole interval has passed since it was started.
// Memory is bounded by the secrets that needed a write within the last two
// intervals, not by every client that ever authenticated (about 400 bytes
// per client before: 394 MB after a million clients). A reservation is keyed
// by a 64-bit keyed hash of the client and secret IDs, not by the IDs
// themselves: 16 bytes a slot and no strings to keep (it was about 130 bytes
// per secret with copies of both IDs). Two pairs whose hashes collide (a
// chance of about n²/2⁶⁵ among n reservations, and the seed is random per
// shard, so it cannot be aimed at) share a reservation: one of them skips
// a last-used write for an interval, which changes nothing else.
type lastUsedGate struct {
	shards [lastUsedShards]gateShard
}

// lastUsedShards spreads reservations over independently locked maps.
const lastUsedShards = 64

type gateShard struct {
	mu sync.Mutex
	// cur holds the reservations made since started; prev those of the
	// generation before, by gateKey. Values are unix nanos before which no
	// write is due.
	cur, prev map[uint64]int64
	started   int64
	seed      maphash.Seed
	seeded    bool
}

// gateKey names one secret of one client: a hash of both IDs under the
// shard's seed. The caller holds sh.mu.
func (sh *gateShard) gateKey(clientID, secretID string) uint64 {
	if !sh.seeded {
		sh.seed, sh.seeded = maphash.MakeSeed(), true
	}
	var h maphash.Hash
	h.SetSeed(sh.seed)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(clientID)))
	_, _ = h.Write(n[:]) // the length first: ("ab","c") and ("a","bc") differ
	_, _ = h.WriteString(clientID)
	_, _ = h.WriteString(secretID)
	return h.Sum64()
}

// allow reports whether the caller should write the last-used time of the
// secret at now, and if so reserves the interval.
func (g *lastUsedGate) allow(clientID, secretID string, now time.Time, interval time.Duration) bool {
	sh := &g.shards[shardOf(clientID)]
	t := now.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	k := sh.gateKey(clientID, secretID)
	// Concurrent callers read the clock before they take the lock, so a
	// time a little before started is normal (a caller that was descheduled
	// between the two); only a clock that went back by more than an interval
	// resets the gate. Treating any earlier time as "the clock went back"
	// let a late caller write the last-used time a second time.
	if age := t - sh.started; age >= int64(interval) || age < -int64(interval) {
		// Every reservation of prev ended before now: forget it. After
		// two intervals (or when the clock went back), cur too.
		sh.prev = sh.cur
		if age >= 2*int64(interval) || age < -int64(interval) {
			sh.prev = nil
		}
		sh.cur = nil
		sh.started = t
	}
	if next, ok := sh.cur[k]; ok && t < next {
		return false
	}
	if next, ok := sh.prev[k]; ok && t < next {
		return false
	}
	if sh.cur == nil {
		sh.cur = make(map[uint64]int64)
	}
	sh.cur[k] = t + int64(interval)
	return true
}

// entries counts the reservations the gate holds, expired ones included.
func (g *lastUsedGate) entries() int {
	n := 0
	for i := range g.shards {
		sh := &g.shards[i]
		sh.mu.Lock()
		n += len(sh.cur) + len(sh.prev)
		sh.mu.Unlock()
	}
	return n
}

// shardOf picks a shard by FNV-1a of the client ID.
func shardOf(clientID string) int {
	h := uint32(2166136261)
	for i := 0; i < len(clientID); i++ {
		h ^= uint32(clientID[i])
		h *= 16777619
	}
	return int(h % lastUsedShards)
}

// recordUse writes the last-used time of client clientID and of its secret
// secretID, last used at lastUsed (as stored; zero if never), when one is
// due, and reports whether it wrote it. A failed write is ignored: it must
// not fail an authentication that succeeded.
func (r *Registry) recordUse(ctx context.Context, clientID, secretID string, lastUsed, now time.Time) bool {
	interval := r.cfg.lastUsedInterval
	if interval < 0 {
		return false
	}
	if !lastUsed.IsZero() && now.Sub(lastUsed) < interval {
		return false // recorded recently, here or by another process
	}
	if !r.lastUsed.allow(clientID, secretID, now, interval) {
		return false
	}
	return r.store.TouchClient(ctx, clientID, secretID, now) == nil
}
