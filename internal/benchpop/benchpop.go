// Package benchpop builds the client populations the project's
// benchmarks cycle through, and the baseline they are compared with.
//
// A benchmark that authenticates one hot client over and over measures a
// client that sits in the CPU's caches: it says little about a token
// endpoint serving thousands of clients. Every Authenticate benchmark
// therefore presents the clients of a Population in a random order, and
// runs the Baseline (a map lookup, one SHA-256 and a constant-time compare)
// over the same population in the same order, in the same run.
//
// It is a test helper: only benchmarks and tests import it.
package benchpop

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// Sizes are the population sizes the benchmarks run at: a small
// deployment and a large one.
var Sizes = []int{10_000, 1_000_000}

// Population is n confidential clients registered in a Registry, each with
// one generated secret, and a random order to present them in.
type Population struct {
	// Registry holds the clients; Store is its store.
	Registry *oauthreg.Registry
	Store    oauthreg.Store
	// IDs[i] is the ID of client i and Secrets[i] its plaintext secret.
	IDs     []string
	Secrets []string
	// order is a random permutation of the client indexes.
	order []int32
	// unknown[i] is an ID no client has, made on first use (UnknownID).
	unknownOnce sync.Once
	unknown     []string
}

// UnknownID returns the unregistered ID to present at step i of a
// benchmark loop: one of Len() distinct IDs that no client has, shaped as
// the registered ones are (UUIDs), in the order Client presents clients.
// An attacker enumerating IDs presents a different one each time; a
// benchmark that presented one unknown ID over and over would measure a
// miss the CPU's caches keep warm. The first call makes all of them: make
// it before a benchmark's timed loop.
func (p *Population) UnknownID(i int) string {
	p.unknownOnce.Do(func() {
		p.unknown = make([]string, len(p.IDs))
		for k := range p.unknown {
			// A UUID version no registered ID has (Register makes v7).
			p.unknown[k] = fmt.Sprintf("%08x-%04x-4000-8000-%012x", uint32(k*2654435761), uint16(k>>8), uint64(k)*0x9e3779b97f4a7c15&(1<<48-1))
		}
	})
	return p.unknown[p.order[i%len(p.order)]]
}

// Client returns the client to present at step i of a benchmark loop: the
// population's clients in a fixed random order, cycled.
func (p *Population) Client(i int) (id, secret string) {
	k := p.order[i%len(p.order)]
	return p.IDs[k], p.Secrets[k]
}

// Len returns the number of clients.
func (p *Population) Len() int { return len(p.IDs) }

// Confidential is the client every population registers n times: what a
// service account of a typical deployment looks like.
func Confidential() oauthreg.Client {
	return oauthreg.Client{
		Owner:      "org-0001",
		Name:       "billing service",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"read", "write"},
	}
}

// Build registers n clients in a new Registry over store with opts,
// authenticates each once (so the population is in its steady state: every
// last-used time recorded, every per-client structure built) and returns
// it. The order is drawn from a fixed seed, so runs are comparable.
func Build(tb testing.TB, n int, store oauthreg.Store, opts ...oauthreg.Option) *Population {
	tb.Helper()
	reg, err := oauthreg.New(store, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	p := &Population{Registry: reg, Store: store, IDs: make([]string, n), Secrets: make([]string, n), order: make([]int32, n)}
	for i := range n {
		c, secret, err := reg.Register(ctx, Confidential())
		if err != nil {
			tb.Fatalf("register client %d: %v", i, err)
		}
		p.IDs[i], p.Secrets[i] = c.ID, secret.Reveal()
		p.order[i] = int32(i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(n, func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	for i := range n {
		id, secret := p.Client(i)
		if _, err := reg.Authenticate(ctx, id, secret); err != nil {
			tb.Fatalf("warm-up authentication of %s: %v", id, err)
		}
	}
	return p
}

var (
	memMu    sync.Mutex
	memCache = map[int]*Population{}
)

// Memstore returns the population of n clients on a memstore with default
// options, built on first use and shared by every benchmark of the process
// (building a million clients takes seconds). Benchmarks must not change
// it: they authenticate only.
func Memstore(tb testing.TB, n int) *Population {
	tb.Helper()
	memMu.Lock()
	defer memMu.Unlock()
	if p := memCache[n]; p != nil {
		return p
	}
	p := Build(tb, n, memstore.New())
	memCache[n] = p
	return p
}

// Baseline is the least work any secret check can do, over a population:
// a Go map lookup, one SHA-256 of the presented secret and a constant-time
// compare with the stored digest.
type Baseline struct {
	digests map[string][sha256.Size]byte
}

// NewBaseline returns the baseline over the clients of p.
func NewBaseline(p *Population) *Baseline { return BaselineOf(p.IDs, p.Secrets) }

// BaselineOf returns the baseline over the clients ids, whose secrets are
// secrets[i].
func BaselineOf(ids, secrets []string) *Baseline {
	b := &Baseline{digests: make(map[string][sha256.Size]byte, len(ids))}
	for i, id := range ids {
		b.digests[id] = sha256.Sum256([]byte(secrets[i]))
	}
	return b
}

// Check reports whether secret is the one stored for id.
func (b *Baseline) Check(id, secret string) bool {
	want, ok := b.digests[id]
	// A stack copy: []byte(secret) of a long string would allocate. A
	// secret longer than the buffer (none of a population's is) is hashed
	// whole all the same, so a truncated prefix never matches.
	var buf [256]byte
	var got [sha256.Size]byte
	if len(secret) <= len(buf) {
		got = sha256.Sum256(buf[:copy(buf[:], secret)])
	} else {
		got = sha256.Sum256([]byte(secret))
	}
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1 && ok
}

// HeapBytes returns the live heap after a full collection.
func HeapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// HeapPerClient builds a population of n clients with build, and returns
// the heap it holds per client (all in: the store's records, indexes and
// the Registry's per-client state after one authentication of each
// client), measured as the heap that is freed when the store and Registry
// are dropped, divided by n. The plaintext secrets, the order and the
// slice of IDs the population keeps for the benchmark are not counted; the
// ID strings are (the store shares their bytes).
func HeapPerClient(tb testing.TB, n int, build func(testing.TB, int) *Population) float64 {
	tb.Helper()
	p := build(tb, n)
	with := HeapBytes()
	// The IDs go with the store: their bytes are the ones the store's
	// records hold. Only the slice of their headers is the population's.
	p.Registry, p.Store, p.IDs = nil, nil, nil
	without := HeapBytes()
	runtime.KeepAlive(p)
	freed := float64(with) - float64(without) - float64(16*n)
	if freed < 0 {
		tb.Fatalf("heap grew from %d to %d bytes when the store was dropped", with, without)
	}
	return freed / float64(n)
}

// SizeName names a benchmark of a population of n clients: "10k", "1M".
func SizeName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
