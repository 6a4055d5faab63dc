package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/storetest"
)

// Can an attacker tell an unknown client ID from a known one by timing
// Authenticate? BenchmarkAuthTimingUnknownVsWrong interleaves the two
// failures an enumeration compares, over a population of 10,000 clients
// visited in random order:
//
//   - unknown: an ID no client has (same length and shape as the real ones)
//     with a well-formed generated secret;
//   - wrong: a known ID with a well-formed generated secret of another
//     client.
//
// Each iteration times one of each, in alternating order, and the
// benchmark reports the median of each and their ratio (unknown/wrong,
// the figure to hold within 0.9..1.1). Run it with
//
//	go test -run '^$' -bench AuthTiming -benchtime 20000x ./sqlstore/
//
// (with OAUTHREG_TEST_POSTGRES / OAUTHREG_TEST_MYSQL set for the servers).
// BenchmarkAuthTimingUnknownOnly and ...WrongOnly run one kind alone, for
// instruction counts under callgrind (see BENCHMARKS.md).
func BenchmarkAuthTimingUnknownVsWrong(b *testing.B) {
	forEachTimingStore(b, func(b *testing.B, f *timingFixture) {
		var unknown, wrong []time.Duration
		k := 0
		for b.Loop() {
			i := f.order[k%len(f.order)]
			first, second := f.unknown, f.wrong
			if k%2 == 1 {
				first, second = f.wrong, f.unknown
			}
			d1 := first(b, i)
			d2 := second(b, i)
			if k%2 == 0 {
				unknown, wrong = append(unknown, d1), append(wrong, d2)
			} else {
				wrong, unknown = append(wrong, d1), append(unknown, d2)
			}
			k++
		}
		mu, mw := median(unknown), median(wrong)
		b.ReportMetric(float64(mu.Nanoseconds()), "unknown-ns")
		b.ReportMetric(float64(mw.Nanoseconds()), "wrong-ns")
		b.ReportMetric(float64(mu)/float64(mw), "unknown/wrong")
	})
}

func BenchmarkAuthTimingUnknownOnly(b *testing.B) {
	forEachTimingStore(b, func(b *testing.B, f *timingFixture) {
		k := 0
		for b.Loop() {
			f.unknown(b, f.order[k%len(f.order)])
			k++
		}
	})
}

func BenchmarkAuthTimingWrongOnly(b *testing.B) {
	forEachTimingStore(b, func(b *testing.B, f *timingFixture) {
		k := 0
		for b.Loop() {
			f.wrong(b, f.order[k%len(f.order)])
			k++
		}
	})
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// timingFixture: a Registry over a store of timingPopulation clients, the
// IDs to present and a random visiting order.
type timingFixture struct {
	reg            *oauthreg.Registry
	ids, unknowns  []string
	secrets        []string // secrets[i] is client i's newest secret
	order          []int
	unknown, wrong func(b *testing.B, i int) time.Duration
}

const timingPopulation = 10_000

// forEachTimingStore runs f over memstore and every configured SQL engine.
func forEachTimingStore(b *testing.B, f func(b *testing.B, fx *timingFixture)) {
	b.Run("memstore", func(b *testing.B) {
		clock := oauthregtest.NewClock(storetest.BaseTime())
		reg, err := oauthreg.New(memstore.New(), oauthreg.WithClock(clock.Now))
		if err != nil {
			b.Fatal(err)
		}
		fx := &timingFixture{reg: reg}
		for i := range timingPopulation {
			c, _, err := reg.Register(b.Context(), confidential(fmt.Sprintf("service %d", i)))
			if err != nil {
				b.Fatal(err)
			}
			next, err := reg.RotateSecret(b.Context(), c.ID)
			if err != nil {
				b.Fatal(err)
			}
			// Seeded as used now: the timed calls only read.
			if err := reg.Store().TouchClient(b.Context(), c.ID, next.ID(), clock.Now()); err != nil {
				b.Fatal(err)
			}
			fx.ids, fx.secrets = append(fx.ids, c.ID), append(fx.secrets, next.Reveal())
		}
		f(b, fx.finish(b))
	})
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			e.Require(b)
			af := newAuthFixture(b, e, timingPopulation)
			fx := &timingFixture{reg: af.reg, ids: af.ids, secrets: af.newest}
			f(b, fx.finish(b))
		})
	}
}

// finish draws the unknown IDs and the order, and builds the two calls.
func (fx *timingFixture) finish(b *testing.B) *timingFixture {
	r := rand.New(rand.NewPCG(8, 10))
	const hex = "0123456789abcdef"
	for _, id := range fx.ids {
		u := []byte(id)
		for j := len(u) - 12; j < len(u); j++ { // the random tail of a UUIDv7
			u[j] = hex[r.IntN(16)]
		}
		fx.unknowns = append(fx.unknowns, string(u))
	}
	fx.order = r.Perm(len(fx.ids))
	ctx := b.Context()
	n := len(fx.ids)
	fx.unknown = func(b *testing.B, i int) time.Duration {
		start := time.Now()
		_, err := fx.reg.Authenticate(ctx, fx.unknowns[i], fx.secrets[i])
		d := time.Since(start)
		if err != oauthreg.ErrInvalidCredentials {
			b.Fatalf("unknown client: %v", err)
		}
		return d
	}
	fx.wrong = func(b *testing.B, i int) time.Duration {
		start := time.Now()
		_, err := fx.reg.Authenticate(ctx, fx.ids[i], fx.secrets[(i+1)%n])
		d := time.Since(start)
		if err != oauthreg.ErrInvalidCredentials {
			b.Fatalf("known client, wrong secret: %v", err)
		}
		return d
	}
	return fx
}
