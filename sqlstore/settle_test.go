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

// lostConnErr is what PostgreSQL reports when pg_terminate_backend ends the
// session: the connection is gone, and whether the statement in flight was
// applied is not said.
type lostConnErr struct{}

func (lostConnErr) Error() string {
	return "FATAL: terminating connection due to administrator command"
}
func (lostConnErr) SQLState() string { return "57P01" }

// TestLostConnectionSettles loses the connection at every step of a
// write, before the step reaches the database and after it did, and holds
// the store to its rule: a write that provably did not happen is sent
// again and succeeds; one that reached the database is settled by a
// reread (a create or delete that is there succeeds, an update that is
// there is reported ErrOutcomeUnknown); never is a change applied twice,
// and every error matches oauthreg.ErrUnavailable.
func TestLostConnectionSettles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, _ := faultyStore(t, e, inj)
		ctx := t.Context()

		countSteps := func(op func() error) int {
			inj.Arm(0, faultdriver.Before)
			if err := op(); err != nil {
				t.Fatal(err)
			}
			n := inj.Count()
			inj.Disarm()
			return n
		}
		c := storetest.NewClient("settled")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		twin := storetest.NewClient("twin")
		if err := s.CreateClient(ctx, twin); err != nil {
			t.Fatal(err)
		}
		updateSteps := countSteps(func() error { return s.UpdateClient(ctx, rotated(twin)) })
		for k := 1; k <= updateSteps; k++ {
			for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After, faultdriver.Lost} {
				cur, err := s.GetClient(ctx, "settled")
				if err != nil {
					t.Fatal(err)
				}
				want := rotated(cur)
				inj.ArmErr(k, mode, lostConnErr{})
				err = s.UpdateClient(ctx, want)
				fired := inj.Fired()
				inj.Disarm()
				got, gerr := s.GetClient(ctx, "settled")
				if !fired || gerr != nil {
					t.Fatalf("UpdateClient, lost at step %d (%v): fired %v, reread %v", k, mode, fired, gerr)
				}
				if got.Version != cur.Version+1 {
					t.Fatalf("UpdateClient, lost at step %d (%v): version %d -> %d, want exactly one more (error %v)", k, mode, cur.Version, got.Version, err)
				}
				want.Version = got.Version // not moved on failure
				if d := storetest.Diff(want, got); d != nil {
					t.Errorf("UpdateClient, lost at step %d (%v): stored %v", k, mode, d)
				}
				lastApplied := k == updateSteps && mode == faultdriver.Lost
				switch {
				case lastApplied && !errors.Is(err, sqlstore.ErrOutcomeUnknown):
					t.Errorf("UpdateClient, lost after its last step reached the database: %v, want ErrOutcomeUnknown", err)
				case lastApplied && !errors.Is(err, oauthreg.ErrUnavailable):
					t.Errorf("ErrOutcomeUnknown %v does not match oauthreg.ErrUnavailable", err)
				case !lastApplied && err != nil:
					t.Errorf("UpdateClient, lost at step %d (%v), which cannot have committed: %v, want a retried success", k, mode, err)
				}
			}
		}

		createSteps := countSteps(func() error { return s.CreateClient(ctx, storetest.NewClient("count-create")) })
		inj.ArmErr(createSteps, faultdriver.Lost, lostConnErr{})
		created := storetest.NewClient("created")
		err := s.CreateClient(ctx, created)
		inj.Disarm()
		if err != nil || created.Version != 1 {
			t.Errorf("CreateClient whose last step reached the database before the connection was lost: %v, version %d; want success (the reread finds this call's own secrets)", err, created.Version)
		}
		if got, err := s.GetClient(ctx, "created"); err != nil || got.Version != 1 {
			t.Errorf("after a settled CreateClient: %v, %v", got, err)
		}

		deleteSteps := countSteps(func() error { return s.DeleteClient(ctx, "count-create") })
		inj.ArmErr(deleteSteps, faultdriver.Lost, lostConnErr{})
		err = s.DeleteClient(ctx, "created")
		inj.Disarm()
		if err != nil {
			t.Errorf("DeleteClient whose last step reached the database before the connection was lost: %v, want success (the client is gone)", err)
		}
		inj.ArmErr(1, faultdriver.Before, lostConnErr{})
		err = s.DeleteClient(ctx, "twin")
		inj.Disarm()
		if err != nil {
			t.Errorf("DeleteClient lost before it reached the database: %v, want a retried success", err)
		}
		if _, err := s.GetClient(ctx, "twin"); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("after a retried DeleteClient: %v, want ErrNotFound", err)
		}

		// Reads are retried: a lost connection costs nothing.
		inj.ArmErr(1, faultdriver.Before, lostConnErr{})
		_, err = s.GetClient(ctx, "settled")
		inj.Disarm()
		if err != nil {
			t.Errorf("GetClient with a lost connection: %v, want a retried success", err)
		}
		// Exhausted retries are typed.
		once, _ := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		inj.FailAll(lostConnErr{})
		_, err = once.GetClient(ctx, "settled")
		inj.Disarm()
		if !errors.Is(err, oauthreg.ErrUnavailable) || errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("GetClient with the database gone: %v, want oauthreg.ErrUnavailable", err)
		}
	})
}
