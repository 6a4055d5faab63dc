package oauthreg

import (
	"context"
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
type lastUsedGate struct {
	clients sync.Map // client ID -> *clientGate
}

type clientGate struct {
	mu   sync.Mutex
	next map[string]int64 // secret ID -> unix nanos before which no write is due
}

// allow reports whether the caller should write the last-used time of the
// secret at now, and if so reserves the interval.
func (g *lastUsedGate) allow(clientID, secretID string, now time.Time, interval time.Duration) bool {
	v, ok := g.clients.Load(clientID)
	if !ok {
		v, _ = g.clients.LoadOrStore(clientID, &clientGate{})
	}
	cg := v.(*clientGate)
	t := now.UnixNano()
	cg.mu.Lock()
	defer cg.mu.Unlock()
	if t < cg.next[secretID] {
		return false
	}
	if cg.next == nil {
		cg.next = map[string]int64{}
	}
	for id, next := range cg.next { // forget secrets whose interval is over
		if next <= t {
			delete(cg.next, id)
		}
	}
	cg.next[secretID] = now.Add(interval).UnixNano()
	return true
}

// recordUse writes the last-used time of the client and of secret idx when
// one is due, and reflects it in c. A failed write is ignored: it must not
// fail an authentication that succeeded.
func (r *Registry) recordUse(ctx context.Context, c *Client, idx int, now time.Time) {
	interval := r.cfg.lastUsedInterval
	if interval < 0 {
		return
	}
	s := &c.Secrets[idx]
	if !s.LastUsedAt.IsZero() && now.Sub(s.LastUsedAt) < interval {
		return // recorded recently, here or by another process
	}
	if !r.lastUsed.allow(c.ID, s.ID, now, interval) {
		return
	}
	if err := r.store.TouchClient(ctx, c.ID, s.ID, now); err != nil {
		return
	}
	c.LastUsedAt = now
	s.LastUsedAt = now
}
