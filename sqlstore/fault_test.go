package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// faultyStore returns a migrated Store whose database runs through inj, and
// a function counting the secret rows of a client directly in the table.
func faultyStore(t *testing.T, e testdb.Engine, inj *faultdriver.Injector, opts ...sqlstore.Option) (*sqlstore.Store, func(id string) int) {
	t.Helper()
	db := sql.OpenDB(faultdriver.Wrap(e.Connector(t), inj))
	t.Cleanup(func() { db.Close() })
	inj.Disarm()
	s, err := sqlstore.New(db, e.Dialect, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	q := "SELECT COUNT(*) FROM oauthreg_client_secrets WHERE client_id = ?"
	if e.Dialect == sqlstore.Postgres {
		q = "SELECT COUNT(*) FROM oauthreg_client_secrets WHERE client_id = $1"
	}
	count := func(id string) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(t.Context(), q, id).Scan(&n); err != nil {
			t.Fatalf("counting secret rows: %v", err)
		}
		return n
	}
	return s, count
}

// rotated returns c after a rotation as the Registry makes it: the active
// secrets get an expiry, a new secret is appended, the oldest one is
// revoked, and UpdatedAt moves.
func rotated(c *oauthreg.Client) *oauthreg.Client {
	c = c.Clone()
	now := storetest.BaseTime().Add(48 * time.Hour)
	for i := range c.Secrets {
		c.Secrets[i].ExpiresAt = now.Add(24 * time.Hour)
	}
	c.Secrets[0].RevokedAt = now
	c.Secrets = append(c.Secrets, storetest.NewSecret(fmt.Sprintf("rotated-at-v%d", c.Version), now))
	c.UpdatedAt = now
	return c
}

// TestAtomicity fails every step (BEGIN, each statement, COMMIT) of
// UpdateClient of a rotation and of CreateClient of a client with secrets,
// before and after the step reaches the database, and checks that the stored
// state is exactly the state before: no partial rotation, no orphan secret.
func TestAtomicity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, secretRows := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		ctx := t.Context()

		t.Run("UpdateClient", func(t *testing.T) {
			orig := storetest.NewClient("victim")
			if err := s.CreateClient(ctx, orig); err != nil {
				t.Fatal(err)
			}
			// Count the steps of the same change on a twin client.
			twin := storetest.NewClient("twin")
			if err := s.CreateClient(ctx, twin); err != nil {
				t.Fatal(err)
			}
			inj.Arm(0, faultdriver.Before)
			if err := s.UpdateClient(ctx, rotated(twin)); err != nil {
				t.Fatal(err)
			}
			steps := inj.Count()
			t.Logf("UpdateClient of a rotation on %s: %d steps %q", e.Name, steps, inj.Steps())
			inj.Disarm()

			before, err := s.GetClient(ctx, "victim")
			if err != nil {
				t.Fatal(err)
			}
			for k := 1; k <= steps; k++ {
				for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After} {
					inj.Arm(k, mode)
					err := s.UpdateClient(ctx, rotated(before))
					fired := inj.Fired()
					inj.Disarm()
					if !fired {
						t.Fatalf("step %d (%v) was not reached", k, mode)
					}
					if !errors.Is(err, faultdriver.ErrInjected) {
						t.Fatalf("UpdateClient failing at step %d (%v) returned %v, want the injected error", k, mode, err)
					}
					after, err := s.GetClient(ctx, "victim")
					if err != nil {
						t.Fatal(err)
					}
					if d := storetest.Diff(before, after); d != nil {
						t.Errorf("after UpdateClient failed at step %d (%v) the client changed:\n\t%v", k, mode, d)
					}
					if n := secretRows("victim"); n != len(before.Secrets) {
						t.Errorf("after UpdateClient failed at step %d (%v) there are %d secret rows, want %d", k, mode, n, len(before.Secrets))
					}
				}
			}
			// And without a fault the rotation goes through whole.
			want := rotated(before)
			if err := s.UpdateClient(ctx, want); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetClient(ctx, "victim")
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.Diff(want, got); d != nil {
				t.Errorf("the rotation without faults: %v", d)
			}
		})

		t.Run("CreateClient", func(t *testing.T) {
			inj.Arm(0, faultdriver.Before)
			if err := s.CreateClient(ctx, storetest.NewClient("count-me")); err != nil {
				t.Fatal(err)
			}
			steps := inj.Count()
			t.Logf("CreateClient with 3 secrets on %s: %d steps %q", e.Name, steps, inj.Steps())
			inj.Disarm()
			for k := 1; k <= steps; k++ {
				for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After} {
					inj.Arm(k, mode)
					err := s.CreateClient(ctx, storetest.NewClient("new"))
					fired := inj.Fired()
					inj.Disarm()
					if !fired || !errors.Is(err, faultdriver.ErrInjected) {
						t.Fatalf("CreateClient failing at step %d (%v): fired %v, error %v", k, mode, fired, err)
					}
					if _, err := s.GetClient(ctx, "new"); !errors.Is(err, oauthreg.ErrNotFound) {
						t.Errorf("after CreateClient failed at step %d (%v), GetClient returned %v, want ErrNotFound", k, mode, err)
					}
					if n := secretRows("new"); n != 0 {
						t.Errorf("after CreateClient failed at step %d (%v) there are %d orphan secret rows", k, mode, n)
					}
				}
			}
		})
	})
}

// transientErr looks like a PostgreSQL serialization failure to the store.
type transientErr struct{}

func (transientErr) Error() string    { return "injected serialization failure" }
func (transientErr) SQLState() string { return "40001" }

// TestRetry injects a transient failure at every step of an UpdateClient
// and a CreateClient: the store must run the transaction again and apply the
// change exactly once. With one attempt allowed, the failure must surface as
// ErrRetriesExhausted, still unwrapping to the driver's error.
func TestRetry(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, secretRows := faultyStore(t, e, inj)
		ctx := t.Context()

		c := storetest.NewClient("retried")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		inj.Arm(0, faultdriver.Before)
		if err := s.UpdateClient(ctx, rotated(c)); err != nil {
			t.Fatal(err)
		}
		steps := inj.Count()
		inj.Disarm()
		for k := 1; k <= steps; k++ {
			cur, err := s.GetClient(ctx, "retried")
			if err != nil {
				t.Fatal(err)
			}
			want := rotated(cur)
			want.Name = fmt.Sprintf("after step %d", k)
			inj.ArmErr(k, faultdriver.After, transientErr{})
			err = s.UpdateClient(ctx, want)
			fired := inj.Fired()
			inj.Disarm()
			if err != nil || !fired {
				t.Fatalf("UpdateClient with a transient failure at step %d: fired %v, error %v (want a retried success)", k, fired, err)
			}
			got, err := s.GetClient(ctx, "retried")
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.Diff(want, got); d != nil {
				t.Errorf("after a retried UpdateClient (step %d): %v", k, d)
			}
			if n := secretRows("retried"); n != len(want.Secrets) {
				t.Errorf("after a retried UpdateClient (step %d): %d secret rows, want %d", k, n, len(want.Secrets))
			}
		}

		inj.ArmErr(2, faultdriver.Before, transientErr{})
		err := s.CreateClient(ctx, storetest.NewClient("created-on-retry"))
		inj.Disarm()
		if err != nil {
			t.Fatalf("CreateClient with a transient failure: %v", err)
		}

		once, _ := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		inj.ArmErr(1, faultdriver.Before, transientErr{})
		err = once.CreateClient(ctx, storetest.NewClient("never"))
		inj.Disarm()
		if !errors.Is(err, sqlstore.ErrRetriesExhausted) || !errors.Is(err, oauthreg.ErrUnavailable) {
			t.Errorf("CreateClient with a transient failure and one attempt returned %v, want ErrRetriesExhausted and oauthreg.ErrUnavailable", err)
		}
		var te transientErr
		if !errors.As(err, &te) {
			t.Errorf("the ErrRetriesExhausted error %v does not unwrap to the driver's error", err)
		}
	})
}

// TestCancelledDuringRetry checks that the retries and the backoff between
// them end when the context does.
func TestCancelledDuringRetry(t *testing.T) {
	e := testdb.Engines()[0]
	inj := faultdriver.NewInjector()
	s, _ := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1_000_000))
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	inj.FailAll(transientErr{})
	start := time.Now()
	err := s.CreateClient(ctx, storetest.NewClient("x"))
	inj.Disarm()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("CreateClient failing transiently until the deadline returned %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("CreateClient kept retrying for %v after a 100ms deadline", d)
	}
	if n := inj.Count(); n < 3 {
		t.Errorf("only %d attempts in 100ms", n)
	}
}
