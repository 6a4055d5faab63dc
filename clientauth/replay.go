package clientauth

import (
	"context"
	"sync"
	"time"
)

// ReplayCache remembers the assertion IDs (jti) clients have used, so that
// no assertion is accepted twice while it is valid (RFC 7523 §3 item 7).
//
// UseOnce records that clientID used jti, which the Authenticator will not
// accept again before expiresAt, and reports whether this was the first use:
// false when the same (clientID, jti) was recorded before and its expiresAt
// has not passed. It must be atomic: of two concurrent calls with the same
// pair, at most one returns true, also across processes when the cache is
// shared by several server replicas. The Authenticator calls it only after
// the assertion's signature verified, and bounds jti to 255 bytes and
// expiresAt to the maximum assertion lifetime.
//
// NewMemoryReplayCache serves one process; sqlstore's Store has a
// UseOnce method that serves every replica sharing its database.
type ReplayCache interface {
	UseOnce(ctx context.Context, clientID, jti string, expiresAt time.Time) (first bool, err error)
}

// MemoryReplayCache is a ReplayCache in memory, for a single process. It
// forgets entries once they expire (swept as it grows), so it holds at most
// the assertions of the last maximum lifetime.
type MemoryReplayCache struct {
	mu      sync.Mutex
	now     func() time.Time
	used    map[replayKey]time.Time
	sweepAt int
}

type replayKey struct{ clientID, jti string }

// NewMemoryReplayCache returns an empty MemoryReplayCache that judges
// expiry by now (time.Now when nil): give it the Authenticator's clock.
func NewMemoryReplayCache(now func() time.Time) *MemoryReplayCache {
	if now == nil {
		now = time.Now
	}
	return &MemoryReplayCache{now: now, used: map[replayKey]time.Time{}, sweepAt: 1024}
}

// UseOnce implements ReplayCache.
func (m *MemoryReplayCache) UseOnce(ctx context.Context, clientID, jti string, expiresAt time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	k := replayKey{clientID, jti}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if exp, ok := m.used[k]; ok && now.Before(exp) {
		return false, nil
	}
	if len(m.used) >= m.sweepAt {
		for key, exp := range m.used {
			if !now.Before(exp) {
				delete(m.used, key)
			}
		}
		m.sweepAt = max(2*len(m.used), 1024)
	}
	m.used[k] = expiresAt
	return true, nil
}
