package oauthreg_test

import (
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/benchpop"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// The benchmarks below measure Authenticate on memstore the way a token
// endpoint exercises it: the clients of a population of 10k or 1M are
// presented in a random order, and the baseline (a map lookup, one SHA-256
// and a constant-time compare, the least work any secret check can do)
// runs over the same population in the same order, in the same run. "hot"
// presents one client over and over, as the project's first benchmarks did:
// it is the cost with every record in the CPU's caches.
//
//	go test -run '^$' -bench 'Authenticate$' -benchmem -benchtime 20000x -count 3 .
//
// Targets (issue 13): the right secret at 10k within 2× its baseline and at
// most 1 alloc/op; a wrong secret and an unknown client within ±10% of the
// right secret; 1M within 1.3× of 10k. Instruction counts, which a busy
// machine does not move, come from scripts/instructions.sh.

func BenchmarkAuthenticate(b *testing.B) {
	for _, n := range benchpop.Sizes {
		b.Run(benchpop.SizeName(n), func(b *testing.B) {
			benchAuthenticateCases(b, benchpop.Memstore(b, n), false)
		})
	}
	b.Run("hot", func(b *testing.B) {
		benchAuthenticateCases(b, benchpop.Memstore(b, benchpop.Sizes[0]), true)
	})
}

// BenchmarkAuthenticatePeppered is the right secret under a pepper
// (HMAC-SHA-256), next to BenchmarkAuthenticate/10k/right (plain SHA-256).
func BenchmarkAuthenticatePeppered(b *testing.B) {
	n := benchpop.Sizes[0]
	p := benchpop.Build(b, n, memstore.New(), oauthreg.WithPepper("bench-pepper", []byte("0123456789abcdef0123456789abcdef")))
	b.Run(benchpop.SizeName(n)+"/right", func(b *testing.B) { benchAuthenticate(b, p, false, rightSecret, true) })
}

// BenchmarkHeapPerClient reports the heap a memstore and its Registry hold
// per client with one secret, after every client authenticated once, as the
// metric B/client (the time per op is meaningless).
func BenchmarkHeapPerClient(b *testing.B) {
	for _, n := range benchpop.Sizes {
		b.Run(benchpop.SizeName(n), func(b *testing.B) {
			per := benchpop.HeapPerClient(b, n, func(tb testing.TB, n int) *benchpop.Population {
				return benchpop.Build(tb, n, memstore.New())
			})
			for b.Loop() {
			}
			b.ReportMetric(per, "B/client")
		})
	}
}

// BenchmarkHeapPerClientTwoSecrets is BenchmarkHeapPerClient with two
// secrets per client: every client's secret rotated once (the old one in
// its grace period), and the new one used once.
func BenchmarkHeapPerClientTwoSecrets(b *testing.B) {
	n := benchpop.Sizes[0]
	b.Run(benchpop.SizeName(n), func(b *testing.B) {
		per := benchpop.HeapPerClient(b, n, func(tb testing.TB, n int) *benchpop.Population {
			p := benchpop.Build(tb, n, memstore.New())
			for i, id := range p.IDs {
				secret, err := p.Registry.RotateSecret(ctx, id)
				if err != nil {
					tb.Fatal(err)
				}
				if _, err := p.Registry.Authenticate(ctx, id, secret.Reveal()); err != nil {
					tb.Fatal(err)
				}
				p.Secrets[i] = secret.Reveal()
			}
			return p
		})
		for b.Loop() {
		}
		b.ReportMetric(per, "B/client")
	})
}

// presented returns what step i presents: a client ID and a secret.
type presented func(p *benchpop.Population, i int) (id, secret string)

var (
	rightSecret presented = func(p *benchpop.Population, i int) (string, string) { return p.Client(i) }
	// wrongSecret presents another client's (well-formed) secret.
	wrongSecret presented = func(p *benchpop.Population, i int) (string, string) {
		id, _ := p.Client(i)
		_, other := p.Client(i + 1)
		return id, other
	}
	// unknownClient presents a well-formed secret under an ID that is not
	// registered, a different one at each step (benchpop.UnknownID).
	unknownClient presented = func(p *benchpop.Population, i int) (string, string) {
		_, secret := p.Client(i)
		return p.UnknownID(i), secret
	}
)

func benchAuthenticateCases(b *testing.B, p *benchpop.Population, hot bool) {
	b.Run("baseline", func(b *testing.B) { benchBaseline(b, benchpop.NewBaseline(p), p, hot) })
	b.Run("right", func(b *testing.B) { benchAuthenticate(b, p, hot, rightSecret, true) })
	b.Run("right-view", func(b *testing.B) { benchAuthenticateView(b, p, hot) })
	if hot {
		return
	}
	b.Run("wrong", func(b *testing.B) { benchAuthenticate(b, p, hot, wrongSecret, false) })
	// The right secret ID with different random bits and a valid checksum:
	// the stored hash is found and compared, and does not match.
	b.Run("wrong-same-id", func(b *testing.B) {
		forged := make([]string, p.Len())
		for i := range forged {
			_, secret := p.Client(i)
			forged[i] = oauthregtest.ForgeSameID(secret)
		}
		benchAuthenticate(b, p, hot, func(p *benchpop.Population, i int) (string, string) {
			id, _ := p.Client(i)
			return id, forged[i%len(forged)]
		}, false)
	})
	p.UnknownID(0) // builds the unknown IDs outside the timed loop
	b.Run("unknown", func(b *testing.B) { benchAuthenticate(b, p, hot, unknownClient, false) })
}

// benchBaseline runs base over p: the loop benchAuthenticate runs, with the
// baseline's check in place of Authenticate. scripts/bench.sh counts the
// instructions inside it and inside benchAuthenticate, so neither builds
// anything before its loop.
func benchBaseline(b *testing.B, base *benchpop.Baseline, p *benchpop.Population, hot bool) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id, secret := p.Client(step(i, hot))
		if !base.Check(id, secret) {
			b.Fatal("baseline mismatch")
		}
		i++
	}
}

// step is the population index of loop iteration i: always the first
// client when hot.
func step(i int, hot bool) int {
	if hot {
		return 0
	}
	return i
}

// benchAuthenticate authenticates what present gives at each step, which
// must succeed if and only if wantOK.
func benchAuthenticate(b *testing.B, p *benchpop.Population, hot bool, present presented, wantOK bool) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id, secret := present(p, step(i, hot))
		_, err := p.Registry.Authenticate(ctx, id, secret)
		if (err == nil) != wantOK {
			b.Fatalf("authenticate %s: %v", id, err)
		}
		i++
	}
}

// benchAuthenticateView is benchAuthenticate's right-secret loop with
// AuthenticateView, which copies nothing on success.
func benchAuthenticateView(b *testing.B, p *benchpop.Population, hot bool) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id, secret := p.Client(step(i, hot))
		if _, err := p.Registry.AuthenticateView(ctx, "", id, secret); err != nil {
			b.Fatalf("authenticate %s: %v", id, err)
		}
		i++
	}
}

// BenchmarkRegister registers a confidential client (ID, validation, one
// generated secret, SHA-256) on memstore.
func BenchmarkRegister(b *testing.B) {
	kit := oauthregtest.New(b)
	c := oauthreg.Client{Owner: "org", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Scopes: []string{"read"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := kit.Register(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotateSecret rotates one client's secret on memstore (read,
// rotate, versioned write). The policy keeps two secrets active, so the
// aggregate stays small; the revoked ones accumulate as they would until a
// purge.
func BenchmarkRotateSecret(b *testing.B) {
	kit := oauthregtest.New(b)
	c, _ := kit.ConfidentialClient(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
		if i++; i%8 == 0 {
			b.StopTimer()
			kit.Clock.Advance(48 * time.Hour)
			if _, err := kit.PurgeExpired(ctx, 0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
}
