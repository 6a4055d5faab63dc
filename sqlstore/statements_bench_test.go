package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
)

// BenchmarkStatements counts the SQL statements a Registry operation sends
// on each engine, read off the wire by faultdriver (every Exec and Query,
// prepared or not; BEGIN, COMMIT and PREPARE are not counted), and reports
// them as the metrics stmts/op and, of those, writes/op (every statement
// but a SELECT). Its time per op includes the wrapper's and is not a
// figure to read; BenchmarkRegistry*VsBaseline are. scripts/bench.sh puts
// the counts in BENCHMARKS.md.
//
//	go test -run '^$' -bench Statements -benchtime 40x ./sqlstore
//
// The operations are those of the other Registry benchmarks:
//
//   - authenticate: the right secret of a client (its last-used time is
//     recorded at the first one and, the clock standing still, not again);
//   - register: a confidential client with a generated secret;
//   - rotate-secret: RotateSecret under the default policy, the clock a
//     second later every time; every 8 rotations an uncounted store update
//     purges the revoked secrets (as BenchmarkRegistryRotateSecret does),
//     so the client holds 2 to 9 secrets;
//   - update-unchanged: Registry.Update with a function that changes
//     nothing.
func BenchmarkStatements(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		ctx := b.Context()
		inj := faultdriver.NewInjector()
		db := faultyDB(b, e, inj)
		s := migratedStore(b, db, e.Dialect)
		reg, clock := sqlRegistry(b, s)

		// count runs op b.N times and reports the statements sent while
		// counting is on; op may pause counting around untimed work.
		count := func(b *testing.B, op func(pause func(func()))) {
			stmts, writes := 0, 0
			collect := func() {
				for _, q := range inj.Statements() {
					stmts++
					if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q)), "SELECT") {
						writes++
					}
				}
				inj.Disarm()
			}
			pause := func(untimed func()) {
				b.StopTimer()
				collect()
				untimed()
				inj.Arm(0, faultdriver.Before)
				b.StartTimer()
			}
			inj.Arm(0, faultdriver.Before)
			n := 0
			for b.Loop() {
				op(pause)
				n++
			}
			collect()
			b.ReportMetric(float64(stmts)/float64(n), "stmts/op")
			b.ReportMetric(float64(writes)/float64(n), "writes/op")
		}

		b.Run("authenticate", func(b *testing.B) {
			c, secret, err := reg.Register(ctx, confidential("authenticated"))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
				b.Fatal(err)
			}
			count(b, func(func(func())) {
				if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("register", func(b *testing.B) {
			count(b, func(func(func())) {
				if _, _, err := reg.Register(ctx, confidential("registered")); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("rotate-secret", func(b *testing.B) {
			c, _, err := reg.Register(ctx, confidential("rotated"))
			if err != nil {
				b.Fatal(err)
			}
			rotations := 0
			count(b, func(pause func(func())) {
				if rotations%8 == 7 {
					pause(func() {
						cur, err := s.GetClient(ctx, c.ID)
						if err != nil {
							b.Fatal(err)
						}
						kept := cur.Secrets[:0]
						for _, sec := range cur.Secrets {
							if sec.RevokedAt.IsZero() {
								kept = append(kept, sec)
							}
						}
						cur.Secrets = kept
						if err := s.UpdateClient(ctx, cur); err != nil {
							b.Fatal(err)
						}
					})
				}
				clock.Advance(time.Second)
				if _, err := reg.RotateSecret(ctx, c.ID); err != nil {
					b.Fatal(err)
				}
				rotations++
			})
		})
		b.Run("update-unchanged", func(b *testing.B) {
			c, _, err := reg.Register(ctx, confidential("updated"))
			if err != nil {
				b.Fatal(err)
			}
			count(b, func(func(func())) {
				if _, err := reg.Update(ctx, c.ID, func(*oauthreg.Client) error { return nil }); err != nil {
					b.Fatal(err)
				}
			})
		})
	})
}
