package oauthreg_test

import (
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/benchpop"
	"github.com/oauthreg/oauthreg/internal/benchratio"
	"github.com/oauthreg/oauthreg/memstore"
)

// BenchmarkAuthenticatePepperedVsPlain reports, as the metric "ratio", what
// a right-secret Authenticate under a pepper costs next to one without,
// both over 10k clients cycled in random order, timed in alternating
// blocks of one run (benchratio.Interleave) so that a busy machine moves
// both alike. Issue 13's target is at most 1.2.
//
//	go test -run '^$' -bench AuthenticatePepperedVsPlain -benchtime 4000x .
func BenchmarkAuthenticatePepperedVsPlain(b *testing.B) {
	n := benchpop.Sizes[0]
	plain := benchpop.Memstore(b, n)
	peppered := benchpop.Build(b, n, memstore.New(), oauthreg.WithPepper("bench-pepper", []byte("0123456789abcdef0123456789abcdef")))
	auth := func(p *benchpop.Population) func(int) {
		return func(i int) {
			id, secret := p.Client(i)
			if _, err := p.Registry.Authenticate(ctx, id, secret); err != nil {
				b.Fatalf("authenticate %s: %v", id, err)
			}
		}
	}
	b.ReportAllocs()
	benchratio.Interleave(b, 50, auth(plain), auth(peppered))
}
