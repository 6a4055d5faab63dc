package oauthreg_test

import (
	"testing"

	"github.com/oauthreg/oauthreg/internal/benchpop"
	"github.com/oauthreg/oauthreg/internal/benchratio"
)

// BenchmarkAuthenticateInterleaved times issue 13's Authenticate ratios in
// one run each, alternating blocks of the two sides (benchratio.Interleave),
// so that a busy machine moves both alike; it reports the median ratio as
// the metric "ratio" (the time per op is a whole round's):
//
//   - 10k/right-vs-baseline: a right-secret Authenticate over 10k clients
//     cycled, against the baseline over the same clients (target ≤ 2);
//   - 1M-vs-10k/right: over 1M clients against over 10k (target ≤ 1.3);
//   - 10k/wrong-vs-right and 10k/unknown-vs-right: a failure against a
//     success (target 0.9–1.1);
//   - 10k/view-vs-baseline and 1M-vs-10k/view: the same two first ratios
//     with AuthenticateView, which copies nothing on success;
//   - 1M-vs-10k/baseline: what the baseline itself (a map lookup and one
//     SHA-256) loses from 10k to 1M clients, the part of 1M-vs-10k that
//     comes from memory, not from the code.
//
// Run it with
//
//	go test -run '^$' -bench AuthenticateInterleaved -benchtime 400x .
func BenchmarkAuthenticateInterleaved(b *testing.B) {
	small := benchpop.Memstore(b, benchpop.Sizes[0])
	auth := func(p *benchpop.Population, present presented, wantOK bool) func(int) {
		return func(i int) {
			id, secret := present(p, i)
			if _, err := p.Registry.Authenticate(ctx, id, secret); (err == nil) != wantOK {
				b.Fatalf("authenticate %s: %v", id, err)
			}
		}
	}
	b.Run("10k/right-vs-baseline", func(b *testing.B) {
		base := benchpop.NewBaseline(small)
		check := func(i int) {
			if id, secret := small.Client(i); !base.Check(id, secret) {
				b.Fatal("baseline mismatch")
			}
		}
		benchratio.Interleave(b, 50, check, auth(small, rightSecret, true))
	})
	b.Run("10k/wrong-vs-right", func(b *testing.B) {
		benchratio.Interleave(b, 50, auth(small, rightSecret, true), auth(small, wrongSecret, false))
	})
	b.Run("10k/unknown-vs-right", func(b *testing.B) {
		small.UnknownID(0) // builds the unknown IDs outside the timed blocks
		benchratio.Interleave(b, 50, auth(small, rightSecret, true), auth(small, unknownClient, false))
	})
	view := func(p *benchpop.Population) func(int) {
		return func(i int) {
			id, secret := p.Client(i)
			if _, err := p.Registry.AuthenticateView(ctx, "", id, secret); err != nil {
				b.Fatalf("authenticate %s: %v", id, err)
			}
		}
	}
	b.Run("10k/view-vs-baseline", func(b *testing.B) {
		base := benchpop.NewBaseline(small)
		check := func(i int) {
			if id, secret := small.Client(i); !base.Check(id, secret) {
				b.Fatal("baseline mismatch")
			}
		}
		benchratio.Interleave(b, 50, check, view(small))
	})
	b.Run("1M-vs-10k/right", func(b *testing.B) {
		large := benchpop.Memstore(b, benchpop.Sizes[1])
		benchratio.Interleave(b, 50, auth(small, rightSecret, true), auth(large, rightSecret, true))
	})
	b.Run("1M-vs-10k/baseline", func(b *testing.B) {
		large := benchpop.Memstore(b, benchpop.Sizes[1])
		check := func(p *benchpop.Population, base *benchpop.Baseline) func(int) {
			return func(i int) {
				if id, secret := p.Client(i); !base.Check(id, secret) {
					b.Fatal("baseline mismatch")
				}
			}
		}
		benchratio.Interleave(b, 50, check(small, benchpop.NewBaseline(small)), check(large, benchpop.NewBaseline(large)))
	})
	b.Run("1M-vs-10k/view", func(b *testing.B) {
		large := benchpop.Memstore(b, benchpop.Sizes[1])
		benchratio.Interleave(b, 50, view(small), view(large))
	})
}
