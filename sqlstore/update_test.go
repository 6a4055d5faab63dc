package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestUpdateStatements pins what reaches the database for the two writes
// issue 13 measured: Registry.RotateSecret and an UpdateClient that changes
// nothing. Counting statements is exact, unlike timing them: a change that
// adds a round trip, or rewrites rows that did not change, fails here.
//
// Steps are what faultdriver sees: BEGIN, each statement, COMMIT.
func TestUpdateStatements(t *testing.T) {
	// The steps of each operation per engine. A rotation is one
	// ModifyClient: on SQLite and MySQL one transaction that locks and
	// reads the client (SQLite: the version's UPDATE ... RETURNING;
	// MySQL: SELECT ... FOR UPDATE), writes the changed client columns
	// (updated_at; on MySQL the version too) and upserts the changed
	// secret rows. A no-op UpdateClient is the versioned UPDATE and the
	// read of the secret and tag rows.
	want := map[string]struct{ rotation, noop []string }{
		"sqlite": {
			rotation: []string{"BEGIN", "UPDATE", "UPDATE", "INSERT", "COMMIT"},
			noop:     []string{"BEGIN", "UPDATE", "SELECT", "COMMIT"},
		},
		"mysql": {
			rotation: []string{"BEGIN", "SELECT", "UPDATE", "INSERT", "COMMIT"},
			noop:     []string{"BEGIN", "UPDATE", "SELECT", "COMMIT"},
		},
		// GetClient, then one statement (optimistic: see ModifyClient).
		"postgres": {
			rotation: []string{"SELECT", "WITH"},
			noop:     []string{"WITH"},
		},
	}
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		db := faultyDB(t, e, inj)
		s := migratedStore(t, db, e.Dialect)
		reg, clock := sqlRegistry(t, s)
		ctx := t.Context()
		c := confidential("rotated")
		c.SystemTags = []string{"zone=a", "zone=b"}
		c.UserTags = []string{"team"}
		reg1, _, err := reg.Register(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		id := reg1.ID
		// Two rotations first: the client then holds an expiring secret
		// and the newest, and the next rotation (default policy: at most
		// two active) revokes one, gives the other an expiry and adds one.
		for range 2 {
			clock.Advance(time.Minute)
			if _, err := reg.RotateSecret(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		before, err := s.GetClient(ctx, id)
		if err != nil {
			t.Fatal(err)
		}

		clock.Advance(time.Minute)
		inj.Arm(0, faultdriver.Before)
		if _, err := reg.RotateSecret(ctx, id); err != nil {
			t.Fatal(err)
		}
		steps, stmts := inj.Steps(), inj.Statements()
		inj.Disarm()
		after, err := s.GetClient(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		checkSteps(t, "Registry.RotateSecret", steps, want[e.Name].rotation)
		t.Logf("RotateSecret on %s: %d steps %q", e.Name, len(steps), steps)

		// The rows a rotation changes: the new one, and those whose
		// expiry or revocation moved. The upsert writes those and no
		// other (PostgreSQL's statement skips unchanged rows itself).
		changed := 0
		for _, sec := range after.Secrets {
			old, ok := before.Secret(sec.ID)
			if !ok || !old.ExpiresAt.Equal(sec.ExpiresAt) || !old.RevokedAt.Equal(sec.RevokedAt) {
				changed++
			}
		}
		if changed < 2 || changed >= len(after.Secrets) {
			t.Fatalf("the rotation changed %d of %d secrets; the test wants some changed and some not", changed, len(after.Secrets))
		}
		if e.Dialect != sqlstore.Postgres {
			var upserts []string
			for _, q := range stmts {
				if strings.HasPrefix(q, "INSERT") {
					upserts = append(upserts, q)
				}
			}
			if len(upserts) != 1 || rowsIn(upserts[0]) != changed {
				t.Errorf("the rotation changed %d secret rows (of %d) and wrote %d rows in %d INSERTs, want one INSERT of exactly the changed rows: %q",
					changed, len(after.Secrets), rowsIn(strings.Join(upserts, ", ")), len(upserts), upserts)
			}
		}

		// An update of the client as read: only the version moves.
		inj.Arm(0, faultdriver.Before)
		if err := s.UpdateClient(ctx, after); err != nil {
			t.Fatal(err)
		}
		steps = inj.Steps()
		inj.Disarm()
		checkSteps(t, "UpdateClient of an unchanged client", steps, want[e.Name].noop)
		t.Logf("no-op UpdateClient on %s: %d steps %q", e.Name, len(steps), steps)
		got, err := s.GetClient(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != after.Version {
			t.Errorf("after a no-op UpdateClient the stored version is %d, want %d", got.Version, after.Version)
		}
	})
}

// checkSteps fails t unless the steps of an operation start with the
// given words (BEGIN, COMMIT, or a statement's first word).
func checkSteps(t *testing.T, op string, steps, want []string) {
	t.Helper()
	ok := len(steps) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(steps[i], want[i])
	}
	if !ok {
		t.Errorf("%s ran %d steps %q, want %d: %q", op, len(steps), steps, len(want), want)
	}
}

// rowsIn counts the rows of a multi-row INSERT ... VALUES (...), (...).
func rowsIn(insert string) int {
	_, values, ok := strings.Cut(insert, " VALUES ")
	if !ok {
		return 0
	}
	return strings.Count(values, "(?")
}

// TestSQLiteUpdateNeverBusy runs concurrent UpdateClient calls on SQLite
// with retries turned off: UpdateClient reads the stored rows inside its
// transaction, and a transaction that read before it wrote would fail at
// its first write with SQLITE_BUSY whenever another connection committed in
// between, which busy_timeout cannot wait out. Its first statement is the
// write that takes the lock (as BEGIN IMMEDIATE would), so it waits
// instead, and no call fails.
func TestSQLiteUpdateNeverBusy(t *testing.T) {
	e := testdb.Engines()[0]
	if e.Dialect != sqlstore.SQLite {
		t.Fatalf("the first engine is %s, want sqlite", e.Name)
	}
	s := migratedStore(t, e.Open(t), e.Dialect, sqlstore.WithMaxAttempts(1))
	ctx := t.Context()
	const workers, rounds = 8, 40
	t0 := storetest.BaseTime()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		id := fmt.Sprintf("busy-%d", w)
		if err := s.CreateClient(ctx, storetest.NewClient(id)); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for r := range rounds {
				c, err := s.GetClient(ctx, id)
				if err != nil {
					errs <- err
					return
				}
				now := t0.Add(time.Duration(r) * time.Minute)
				c.Secrets = append(c.Secrets[1:], storetest.NewSecret(fmt.Sprintf("r%d", r), now))
				c.UpdatedAt = now
				if err := s.UpdateClient(ctx, c); err != nil {
					errs <- fmt.Errorf("update %d of %s: %w", r, id, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestUpdateLargeDiff adds, then removes, more secrets and tags in one
// update than one statement carries (the writes go in chunks of 500 rows).
// The Registry never makes such a client (MaxStoredSecrets, MaxTags); a
// Store called directly must still hold it or refuse it whole.
func TestUpdateLargeDiff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		s, _ := newStore(t, e)
		ctx := t.Context()
		c := storetest.NewClient("large")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		t0 := storetest.BaseTime()
		for i := range 1200 {
			c.Secrets = append(c.Secrets, storetest.NewSecret(fmt.Sprintf("bulk-%04d", i), t0))
			c.UserTags = append(c.UserTags, fmt.Sprintf("tag-%04d", i))
		}
		for _, step := range []string{"1,200 secrets and tags added", "all removed"} {
			if err := s.UpdateClient(ctx, c); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			got, err := s.GetClient(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.Diff(c, got); d != nil {
				t.Fatalf("%s: stored client differs: %.2000v", step, d)
			}
			page, err := s.ListClients(ctx, oauthreg.ListQuery{UserTag: "tag-1199"})
			if err != nil {
				t.Fatal(err)
			}
			if listed, want := len(page.Clients), len(c.UserTags)/1200; listed != want {
				t.Errorf("%s: listing by a user tag found %d clients, want %d", step, listed, want)
			}
			c.Secrets, c.UserTags = c.Secrets[:0], nil
		}
	})
}
