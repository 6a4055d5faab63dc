package sqlstore_test

import (
	"errors"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestUpdatePathsAtomicity fails every step of the UpdateClient paths that
// write only what changed, other than a rotation (TestAtomicity's): a
// change of client columns (on SQLite the version-only UPDATE matches
// nothing and the full UPDATE follows), a secret removed, tags removed and
// added, and an update that changes nothing. Whatever step fails, before or
// after it reaches the database, the stored client stays as it was.
func TestUpdatePathsAtomicity(t *testing.T) {
	changes := map[string]func(c *oauthreg.Client){
		"upd-change":  changeColumnsSecretsTags,
		"upd-nothing": func(c *oauthreg.Client) {},
	}
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, secretRows := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		ctx := t.Context()
		for id, change := range changes {
			t.Run(id, func(t *testing.T) {
				base, twin := createTwins(t, s, id)
				inj.Arm(0, faultdriver.Before)
				tw := twin.Clone()
				change(tw)
				if err := s.UpdateClient(ctx, tw); err != nil {
					t.Fatal(err)
				}
				steps := inj.Count()
				t.Logf("%s: %d steps %q", e.Name, steps, inj.Steps())
				inj.Disarm()
				before, err := s.GetClient(ctx, base.ID)
				if err != nil {
					t.Fatal(err)
				}
				for k := 1; k <= steps; k++ {
					for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After} {
						c := before.Clone()
						change(c)
						inj.Arm(k, mode)
						err := s.UpdateClient(ctx, c)
						fired := inj.Fired()
						inj.Disarm()
						if !fired || !errors.Is(err, faultdriver.ErrInjected) {
							t.Fatalf("UpdateClient failing at step %d (%v): fired %v, error %v", k, mode, fired, err)
						}
						after, err := s.GetClient(ctx, base.ID)
						if err != nil {
							t.Fatal(err)
						}
						if d := storetest.Diff(before, after); d != nil {
							t.Errorf("after UpdateClient failed at step %d (%v) the client changed:\n\t%v", k, mode, d)
						}
						if n := secretRows(base.ID); n != len(before.Secrets) {
							t.Errorf("after UpdateClient failed at step %d (%v): %d secret rows, want %d", k, mode, n, len(before.Secrets))
						}
					}
				}
				want := before.Clone()
				change(want)
				if err := s.UpdateClient(ctx, want); err != nil {
					t.Fatal(err)
				}
				got, err := s.GetClient(ctx, base.ID)
				if err != nil {
					t.Fatal(err)
				}
				if d := storetest.Diff(want, got); d != nil {
					t.Errorf("the update without faults: %v", d)
				}
			})
		}
	})
}

// changeColumnsSecretsTags changes client columns, removes the first
// secret, and removes and adds tags.
func changeColumnsSecretsTags(c *oauthreg.Client) {
	c.Name, c.Scopes = c.Name+" renamed", append(c.Scopes, "extra")
	c.Secrets = c.Secrets[1:]
	c.UserTags = []string{"u-new", "u2"}
	c.SystemTags = nil
}

// createTwins stores two clients that differ only by ID, with tags: base
// (ID id) and its twin, on which a test counts the steps of a change
// before it fails them one by one on base.
func createTwins(t *testing.T, s *sqlstore.Store, id string) (base, twin *oauthreg.Client) {
	t.Helper()
	base = storetest.NewClient(id)
	base.UserTags, base.SystemTags = []string{"u1", "u2"}, []string{"s1"}
	twin = base.Clone()
	twin.ID += "-twin"
	for _, c := range []*oauthreg.Client{base, twin} {
		if err := s.CreateClient(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
	return base, twin
}
