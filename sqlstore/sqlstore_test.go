package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// newStore returns a migrated Store on a fresh database of engine e.
func newStore(t testing.TB, e testdb.Engine, opts ...sqlstore.Option) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	db := e.Open(t)
	s, err := sqlstore.New(db, e.Dialect, opts...)
	if err != nil {
		t.Fatalf("sqlstore.New: %v", err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, db
}

// forEachEngine runs f as a subtest per engine; unconfigured engines skip.
func forEachEngine(t *testing.T, f func(t *testing.T, e testdb.Engine)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			f(t, e)
		})
	}
}

func TestMain(m *testing.M) {
	fmt.Printf("sqlstore: testing engines %s\n", strings.Join(testdb.Configured(), ", "))
	m.Run()
}

func TestConformance(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		storetest.Run(t, func(t *testing.T) oauthreg.Store {
			s, _ := newStore(t, e)
			return s
		})
	})
}

func TestNew(t *testing.T) {
	db := testdb.Engines()[0].Open(t)
	if _, err := sqlstore.New(nil, sqlstore.SQLite); err == nil {
		t.Error("New(nil db) succeeded")
	}
	if _, err := sqlstore.New(db, sqlstore.Dialect(0)); err == nil {
		t.Error("New with the zero Dialect succeeded")
	}
	if _, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithMaxAttempts(0)); err == nil {
		t.Error("New with WithMaxAttempts(0) succeeded")
	}
	for _, p := range []string{"Upper_", "1abc", "with space", "semi;colon", "quote\"", strings.Repeat("x", 33)} {
		if _, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithTablePrefix(p)); err == nil {
			t.Errorf("New with WithTablePrefix(%q) succeeded", p)
		}
	}
	for _, p := range []string{"", "auth_", "x", "app2_oauth_"} {
		if _, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithTablePrefix(p)); err != nil {
			t.Errorf("New with WithTablePrefix(%q): %v", p, err)
		}
	}
	if got := sqlstore.Postgres.String(); got != "postgres" {
		t.Errorf("Postgres.String() = %q", got)
	}
}

func TestMigrationsFS(t *testing.T) {
	for _, d := range []sqlstore.Dialect{sqlstore.SQLite, sqlstore.Postgres, sqlstore.MySQL} {
		fsys, err := sqlstore.Migrations(d)
		if err != nil {
			t.Fatalf("Migrations(%v): %v", d, err)
		}
		b, err := fs.ReadFile(fsys, "0001_init.sql")
		if err != nil {
			t.Fatalf("Migrations(%v): %v", d, err)
		}
		for _, want := range []string{"CREATE TABLE IF NOT EXISTS oauthreg_clients", "CREATE TABLE IF NOT EXISTS oauthreg_client_secrets"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%v/0001_init.sql lacks %q", d, want)
			}
		}
	}
	if _, err := sqlstore.Migrations(sqlstore.Dialect(9)); err == nil {
		t.Error("Migrations of an unknown dialect succeeded")
	}
}

// TestMigrate checks that Migrate is idempotent, records its version, and is
// safe when several stores run it at once on one database.
func TestMigrate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		db := e.Open(t)
		ctx := t.Context()
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				s, err := sqlstore.New(db, e.Dialect)
				if err == nil {
					err = s.Migrate(ctx)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("concurrent Migrate %d: %v", i, err)
			}
		}
		s, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
		var count int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM oauthreg_schema_migrations WHERE version = 1").Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count != 1 {
			t.Errorf("version 1 recorded %d times, want once", count)
		}
		c := storetest.NewClient("after-migrate")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatalf("CreateClient after Migrate: %v", err)
		}
	})
}

// TestTablePrefix checks that stores with different prefixes share a
// database without seeing each other's clients.
func TestTablePrefix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		db := e.Open(t)
		ctx := t.Context()
		var stores []*sqlstore.Store
		for _, p := range []string{"", "tenant_a_", "tenant_b_"} {
			s, err := sqlstore.New(db, e.Dialect, sqlstore.WithTablePrefix(p))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate with prefix %q: %v", p, err)
			}
			stores = append(stores, s)
		}
		for i, s := range stores {
			if err := s.CreateClient(ctx, storetest.NewClient(fmt.Sprintf("client-%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		for i, s := range stores {
			page, err := s.ListClients(ctx, oauthreg.ListQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Clients) != 1 || page.Clients[0].ID != fmt.Sprintf("client-%d", i) {
				t.Errorf("store %d lists %d clients, want only its own", i, len(page.Clients))
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM tenant_a_client_secrets").Scan(&n); err != nil || n != 3 {
			t.Errorf("tenant_a_client_secrets holds %d rows (%v), want 3", n, err)
		}
	})
}

// TestConcurrentRotations runs rotations of many different clients with
// neighbouring IDs at once: none may fail with a deadlock or busy error
// (the retries must absorb them), and no rotation may be lost.
func TestConcurrentRotations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		s, _ := newStore(t, e)
		ctx := t.Context()
		const clients, rounds = 12, 8
		t0 := storetest.BaseTime()
		for i := range clients {
			c := &oauthreg.Client{ID: fmt.Sprintf("c%02d", i), Secrets: []oauthreg.Secret{storetest.NewSecret("s000", t0)}}
			if err := s.CreateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for i := range clients {
			wg.Go(func() {
				id := fmt.Sprintf("c%02d", i)
				for r := 1; r <= rounds; r++ {
					c, err := s.GetClient(ctx, id)
					if err != nil {
						errs <- err
						return
					}
					now := t0.Add(time.Duration(r) * time.Minute)
					c.Secrets[len(c.Secrets)-1].ExpiresAt = now.Add(time.Hour)
					c.Secrets = append(c.Secrets, storetest.NewSecret(fmt.Sprintf("s%03d", r), now))
					c.UpdatedAt = now
					if err := s.UpdateClient(ctx, c); err != nil {
						errs <- fmt.Errorf("rotation %d of %s: %w", r, id, err)
						return
					}
					if err := s.TouchClient(ctx, id, c.Secrets[0].ID, now); err != nil {
						errs <- fmt.Errorf("touch of %s: %w", id, err)
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
		for i := range clients {
			c, err := s.GetClient(ctx, fmt.Sprintf("c%02d", i))
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Secrets) != rounds+1 || c.Version != rounds+1 {
				t.Errorf("client %s has %d secrets at version %d, want %d at %d", c.ID, len(c.Secrets), c.Version, rounds+1, rounds+1)
			}
		}
	})
}

// TestSecretsExpiringOwner checks the join that fills ExpiringSecret.Owner
// and the exclusion of revoked secrets.
func TestSecretsExpiringOwner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		s, _ := newStore(t, e)
		ctx := t.Context()
		c := storetest.NewClient("exp")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.SecretsExpiring(ctx, time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		// s3 expires, s1 is revoked, s2 never expires.
		if len(got) != 1 || got[0].SecretID != "s3" || got[0].Owner != c.Owner || got[0].Hint != "x9Qa" ||
			!got[0].ExpiresAt.Equal(c.Secrets[0].ExpiresAt) {
			t.Errorf("SecretsExpiring = %+v, want s3 of owner %q", got, c.Owner)
		}
	})
}

// TestRawLayout checks what lands in the tables: UTC microseconds, NULL for
// zero times, JSON lists, and nothing but what the Client holds.
func TestRawLayout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		s, db := newStore(t, e)
		ctx := t.Context()
		c := storetest.NewClient("raw")
		c.Secrets[0].Hash = oauthreg.Conceal("$sha256$hash-only")
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		q := "SELECT scopes, created_at, system_tags FROM oauthreg_clients WHERE id = 'raw'"
		var scopes string
		var created int64
		var tags sql.NullString
		if err := db.QueryRowContext(ctx, q).Scan(&scopes, &created, &tags); err != nil {
			t.Fatal(err)
		}
		if scopes != `["write","read","admin:all","https://api.example.com/scope"]` {
			t.Errorf("scopes column = %s", scopes)
		}
		if created != storetest.BaseTime().UnixMicro() {
			t.Errorf("created_at column = %d, want %d", created, storetest.BaseTime().UnixMicro())
		}
		var revoked sql.NullInt64
		var hash string
		if err := db.QueryRowContext(ctx, "SELECT revoked_at, hash FROM oauthreg_client_secrets WHERE client_id = 'raw' AND secret_id = 's3'").Scan(&revoked, &hash); err != nil {
			t.Fatal(err)
		}
		if revoked.Valid || hash != "$sha256$hash-only" {
			t.Errorf("secret row: revoked_at %v, hash %q", revoked, hash)
		}
	})
}
