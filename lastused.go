package oauthreg

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// lastUsedGate lets at most one last-used write per client through per
// interval in this process. Together with the LastUsedAt already stored
// (which other processes sharing the store also see), it keeps
// authentication a read in the common case: 10,000 authentications of one
// client in a minute cause one write.
type lastUsedGate struct {
	next sync.Map // client ID -> *atomic.Int64: unix nanos before which no write is due
}

// allow reports whether the caller should write the last-used time of
// clientID at now, and if so reserves the interval.
func (g *lastUsedGate) allow(clientID string, now time.Time, interval time.Duration) bool {
	v, ok := g.next.Load(clientID)
	if !ok {
		v, _ = g.next.LoadOrStore(clientID, new(atomic.Int64))
	}
	next := v.(*atomic.Int64)
	cur := next.Load()
	if now.UnixNano() < cur {
		return false
	}
	return next.CompareAndSwap(cur, now.Add(interval).UnixNano())
}

// recordUse writes the last-used time of the client and of secret idx when
// one is due, and reflects it in c. A failed write is ignored: it must not
// fail an authentication that succeeded.
func (r *Registry) recordUse(ctx context.Context, c *Client, idx int, now time.Time) {
	interval := r.cfg.lastUsedInterval
	if interval < 0 {
		return
	}
	if !c.LastUsedAt.IsZero() && now.Sub(c.LastUsedAt) < interval {
		return
	}
	if !r.lastUsed.allow(c.ID, now, interval) {
		return
	}
	if err := r.store.TouchClient(ctx, c.ID, c.Secrets[idx].ID, now); err != nil {
		return
	}
	c.LastUsedAt = now
	c.Secrets[idx].LastUsedAt = now
}
