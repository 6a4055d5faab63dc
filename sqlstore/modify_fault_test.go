package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestModifyAtomicity fails every step of ModifyClient (BEGIN, each
// statement, COMMIT; on PostgreSQL the read and the update) for a rotation,
// a change of columns, secrets and tags, and a change of nothing: before
// the step reaches the database and after, the stored client stays exactly
// as it was and the error is the fault. When the answer to the COMMIT (or
// to PostgreSQL's single write) is lost, the client is either as it was or
// exactly the change, never a part of it.
func TestModifyAtomicity(t *testing.T) {
	changes := map[string]func(c *oauthreg.Client){
		"mod-rotate": func(c *oauthreg.Client) {
			now := storetest.BaseTime().Add(48 * time.Hour)
			for i := range c.Secrets {
				c.Secrets[i].ExpiresAt = now.Add(24 * time.Hour)
			}
			c.Secrets[0].RevokedAt = now
			c.Secrets = append(c.Secrets, storetest.NewSecret(fmt.Sprintf("mod-new-v%d", c.Version), now))
			c.UpdatedAt = now
		},
		"mod-change":  changeColumnsSecretsTags,
		"mod-nothing": func(c *oauthreg.Client) {},
	}
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, secretRows := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		ctx := t.Context()
		modify := func(id string, change func(*oauthreg.Client)) error {
			_, err := s.ModifyClient(ctx, id, func(c *oauthreg.Client) error { change(c); return nil })
			return err
		}
		for id, change := range changes {
			t.Run(id, func(t *testing.T) {
				base, twin := createTwins(t, s, id)
				if len(base.Secrets) < 2 {
					t.Fatalf("the fixture has %d secrets, want 2 or more", len(base.Secrets))
				}
				inj.Arm(0, faultdriver.Before)
				if err := modify(twin.ID, change); err != nil {
					t.Fatal(err)
				}
				steps := inj.Count()
				t.Logf("%s: %d steps %q", e.Name, steps, inj.Steps())
				inj.Disarm()
				before, err := s.GetClient(ctx, base.ID)
				if err != nil {
					t.Fatal(err)
				}
				want := before.Clone()
				change(want)
				for k := 1; k <= steps; k++ {
					for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After, faultdriver.Lost} {
						inj.Arm(k, mode)
						err := modify(base.ID, change)
						fired := inj.Fired()
						inj.Disarm()
						after, gerr := s.GetClient(ctx, base.ID)
						if gerr != nil {
							t.Fatal(gerr)
						}
						rows := secretRows(base.ID)
						if mode == faultdriver.Lost && after.Version != before.Version {
							// The lost answer was to a write that
							// committed: all of the change is there
							// (the error, if any, is the fault's).
							want.Version = after.Version
							if d := storetest.Diff(want, after); d != nil || rows != len(want.Secrets) {
								t.Fatalf("after a lost answer at step %d the client is partly changed (%d secret rows):\n\t%v", k, rows, d)
							}
							before = after // go on from the new state
							want = before.Clone()
							change(want)
							continue
						}
						if !fired || err == nil {
							t.Fatalf("ModifyClient failing at step %d (%v): fired %v, error %v", k, mode, fired, err)
						}
						if d := storetest.Diff(before, after); d != nil {
							t.Errorf("after ModifyClient failed at step %d (%v) the client changed:\n\t%v", k, mode, d)
						}
						if rows != len(before.Secrets) {
							t.Errorf("after ModifyClient failed at step %d (%v): %d secret rows, want %d", k, mode, rows, len(before.Secrets))
						}
					}
				}
				if err := modify(base.ID, change); err != nil {
					t.Fatal(err)
				}
				got, err := s.GetClient(ctx, base.ID)
				if err != nil {
					t.Fatal(err)
				}
				want.Version = got.Version
				if d := storetest.Diff(want, got); d != nil {
					t.Errorf("the change without faults: %v", d)
				}
			})
		}
	})
}
