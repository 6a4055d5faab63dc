package oauthregfosite

import (
	"container/heap"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ory/fosite"
)

// DefaultMaxAssertionJTIs is how many client-assertion JTIs a ClientManager
// remembers at once unless WithMaxAssertionJTIs says otherwise: about 10 MB
// at most.
const DefaultMaxAssertionJTIs = 100_000

// ErrTooManyAssertionJTIs is returned (together with fosite.ErrServerError)
// by SetClientAssertionJWT when the replay cache is full. The assertion is
// refused rather than accepted unrecorded.
var ErrTooManyAssertionJTIs = errors.New("oauthregfosite: too many client assertion JTIs remembered")

// jtiCache remembers client-assertion JTIs until they expire. Expired
// entries are dropped by set, oldest expiry first (a min-heap), so each
// call costs O(log n) per dropped entry rather than a scan of the map.
type jtiCache struct {
	mu   sync.Mutex
	now  func() time.Time
	max  int
	exp  map[string]time.Time
	heap jtiHeap
}

func newJTICache(now func() time.Time, max int) *jtiCache {
	return &jtiCache{now: now, max: max, exp: make(map[string]time.Time)}
}

func (c *jtiCache) valid(jti string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.exp[jti]; ok && c.now().Before(exp) {
		return fosite.ErrJTIKnown
	}
	return nil
}

func (c *jtiCache) set(jti string, exp time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	// Drop what has expired. The heap holds exactly the map's entries: an
	// entry leaves both here, and a jti is only stored when absent.
	for len(c.heap) > 0 && !now.Before(c.heap[0].exp) {
		e := heap.Pop(&c.heap).(jtiEntry)
		delete(c.exp, e.jti)
	}
	if _, ok := c.exp[jti]; ok {
		return fosite.ErrJTIKnown
	}
	if !now.Before(exp) {
		return nil
	}
	if len(c.exp) >= c.max {
		return fmt.Errorf("%w: %w (%d)", fosite.ErrServerError, ErrTooManyAssertionJTIs, c.max)
	}
	c.exp[jti] = exp
	heap.Push(&c.heap, jtiEntry{jti: jti, exp: exp})
	return nil
}

type jtiEntry struct {
	jti string
	exp time.Time
}

// jtiHeap is a container/heap of entries, earliest expiry first.
type jtiHeap []jtiEntry

func (h jtiHeap) Len() int           { return len(h) }
func (h jtiHeap) Less(i, j int) bool { return h[i].exp.Before(h[j].exp) }
func (h jtiHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *jtiHeap) Push(x any)        { *h = append(*h, x.(jtiEntry)) }
func (h *jtiHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = jtiEntry{} // let the jti string be collected
	*h = old[:len(old)-1]
	return e
}
