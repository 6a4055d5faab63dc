package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestUseOnce: a (client, jti) pair is accepted once while live, by one of
// many concurrent callers on two Stores sharing the database, again once
// expired; purging removes only expired rows.
func TestUseOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		s, db := newStore(t, e)
		replica, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		live := time.Now().Add(time.Minute)
		use := func(s *sqlstore.Store, client, jti string, exp time.Time) bool {
			t.Helper()
			ok, err := s.UseOnce(ctx, client, jti, exp)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !use(s, "client-a", "jti-1", live) {
			t.Fatal("first use refused")
		}
		if use(s, "client-a", "jti-1", live) || use(replica, "client-a", "jti-1", live) {
			t.Fatal("second use accepted")
		}
		if !use(replica, "client-b", "jti-1", live) {
			t.Error("the same jti of another client was refused")
		}
		// Byte-exact keys: case and trailing spaces make other jtis.
		if !use(s, "client-a", "JTI-1", live) || !use(s, "client-a", "jti-1 ", live) {
			t.Error("a jti differing in case or trailing space was refused")
		}
		past := time.Now().Add(-time.Second)
		if !use(s, "client-c", "old", past) || !use(replica, "client-c", "old", live) {
			t.Error("an expired record blocked its jti")
		}
		if use(s, "client-c", "old", live) {
			t.Error("the taken-over record did not block its jti")
		}

		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 16 {
			st := s
			if i%2 == 1 {
				st = replica
			}
			wg.Go(func() {
				ok, err := st.UseOnce(ctx, "client-d", "race", live)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d concurrent first uses won, want 1", wins.Load())
		}

		if !use(s, "client-e", "gone", past) {
			t.Fatal("setup")
		}
		n, err := s.PurgeUsedAssertions(ctx, time.Now())
		if err != nil || n != 1 {
			t.Errorf("PurgeUsedAssertions = %d, %v; want 1", n, err)
		}
		if use(s, "client-a", "jti-1", live) {
			t.Error("purge removed a live record")
		}

		for _, bad := range [][2]string{{"", "j"}, {"c", ""}, {"c", strings.Repeat("j", 256)}, {"c", "\xff"}} {
			if _, err := s.UseOnce(ctx, bad[0], bad[1], live); err == nil {
				t.Errorf("UseOnce(%q, %q) accepted", bad[0], bad[1])
			}
		}
	})
}

// TestUpgradeToUsedAssertions: a database at schema version 1, filled with
// clients, migrates to the current schema losing nothing.
func TestUpgradeToUsedAssertions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		db := e.Open(t)
		s, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := sqlstore.MigrateTo(ctx, s, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseOnce(ctx, "c", "j", time.Now().Add(time.Minute)); err == nil {
			t.Fatal("the used-assertions table exists at version 1")
		}
		// Filled as that schema could hold clients (the current Store
		// writes columns later versions added).
		var before []*oauthreg.Client
		for i := range 3 {
			c := preProfileClient("c" + string(rune('0'+i)))
			if err := s.CreateClientWithoutProfile(ctx, c); err != nil {
				t.Fatal(err)
			}
			c.Version = 1
			before = append(before, c)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range before {
			got, err := s.GetClient(ctx, c.ID)
			if err != nil || storetest.Diff(c, got) != nil {
				t.Errorf("after the upgrade client %s differs: %v %v", c.ID, err, storetest.Diff(c, got))
			}
		}
		if ok, err := s.UseOnce(ctx, "c", "j", time.Now().Add(time.Minute)); !ok || err != nil {
			t.Errorf("UseOnce after the upgrade = %v, %v", ok, err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM oauthreg_schema_migrations").Scan(&n); err != nil || n < 2 {
			t.Errorf("recorded migrations = %d, %v", n, err)
		}
	})
}
