package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// profileMigration is the schema version that adds the profile column; the
// test starts from the version before it, today's main when it was written.
const profileMigration = 4

// preProfileClient is storetest.NewClient as a release before
// profileMigration could hold it: without the fields of the profile column.
func preProfileClient(id string) *oauthreg.Client {
	full := storetest.NewClient(id)
	return &oauthreg.Client{
		ID: full.ID, Owner: full.Owner, Name: full.Name, Description: full.Description,
		GrantTypes: full.GrantTypes, ResponseTypes: full.ResponseTypes, Scopes: full.Scopes, RedirectURIs: full.RedirectURIs,
		TokenEndpointAuthMethod: full.TokenEndpointAuthMethod, Public: full.Public,
		AccessTokenTTL: full.AccessTokenTTL, RefreshTokenTTL: full.RefreshTokenTTL, Disabled: full.Disabled,
		SystemTags: full.SystemTags, UserTags: full.UserTags, Metadata: full.Metadata, RotationPolicy: full.RotationPolicy,
		CreatedAt: full.CreatedAt, UpdatedAt: full.UpdatedAt, LastUsedAt: full.LastUsedAt, Secrets: full.Secrets,
	}
}

// TestUpgradeToClientProfile builds a database as the schema before
// profileMigration left it (migrated that far, filled through the columns it
// had), migrates it to the current schema, and checks that every client reads back exactly as
// it was stored, lists completely, authenticates, and takes the new fields.
func TestUpgradeToClientProfile(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		ctx := t.Context()
		db := e.Open(t)
		s, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MigrateUpTo(ctx, profileMigration-1); err != nil {
			t.Fatalf("migrating to version %d: %v", profileMigration-1, err)
		}
		if hasColumn(t, db, e.Dialect, "oauthreg_clients", "profile") {
			t.Fatalf("version %d already has the profile column: the test does not start before it", profileMigration-1)
		}
		// A varied population: full clients, a public one, one without
		// secrets, one disabled with its own rotation policy removed.
		var want []*oauthreg.Client
		for i := range 5 {
			c := preProfileClient(fmt.Sprintf("old-client-%02d", i))
			c.Version = 1
			want = append(want, c)
		}
		want[1].Public, want[1].TokenEndpointAuthMethod, want[1].Secrets = true, oauthreg.AuthNone, nil
		want[2].Secrets = nil
		want[3].Disabled, want[3].RotationPolicy, want[3].Metadata = true, nil, nil
		for _, c := range want {
			if err := s.CreateClientWithoutProfile(ctx, c); err != nil {
				t.Fatalf("filling version %d with %s: %v", profileMigration-1, c.ID, err)
			}
		}

		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("upgrading: %v", err)
		}
		if !hasColumn(t, db, e.Dialect, "oauthreg_clients", "profile") {
			t.Fatal("the upgrade did not add the profile column")
		}
		var versions int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM oauthreg_schema_migrations WHERE version <= "+fmt.Sprint(profileMigration)).Scan(&versions); err != nil || versions != profileMigration {
			t.Fatalf("schema_migrations records %d of versions 1 to %d (%v), want all", versions, profileMigration, err)
		}
		for _, c := range want {
			got, err := s.GetClient(ctx, c.ID)
			if err != nil {
				t.Fatalf("GetClient(%s) after the upgrade: %v", c.ID, err)
			}
			if d := storetest.Diff(c, got); d != nil {
				t.Errorf("%s changed in the upgrade:\n%v", c.ID, d)
			}
		}
		page, err := s.ListClients(ctx, oauthreg.ListQuery{Limit: oauthreg.MaxPageSize})
		if err != nil || len(page.Clients) != len(want) {
			t.Fatalf("ListClients after the upgrade: %d clients, %v; want %d", len(page.Clients), err, len(want))
		}
		for i, c := range page.Clients {
			if d := storetest.Diff(want[i], c); d != nil {
				t.Errorf("listed %s differs:\n%v", c.ID, d)
			}
		}

		// An upgraded client takes every new field, and a Registry on the
		// upgraded store authenticates a client registered before.
		full := storetest.NewClient(want[0].ID)
		full.Version = 1
		if err := s.UpdateClient(ctx, full); err != nil {
			t.Fatalf("UpdateClient with the new fields: %v", err)
		}
		got, err := s.GetClient(ctx, full.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := storetest.Diff(full, got); d != nil {
			t.Errorf("an upgraded client with every field reads back differently:\n%v", d)
		}
		reg, err := oauthreg.New(s, oauthreg.WithClock(func() time.Time { return storetest.BaseTime() }))
		if err != nil {
			t.Fatal(err)
		}
		old, plain, err := reg.Register(ctx, oauthreg.Client{Owner: "o"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Authenticate(ctx, old.ID, plain.Reveal()); err != nil {
			t.Fatalf("Authenticate after the upgrade: %v", err)
		}

		// Migrate again: nothing to do. On MySQL, whose DDL commits at
		// once, a run interrupted after its ALTER (the column added, the
		// version not recorded) must complete when repeated; PostgreSQL
		// says IF NOT EXISTS. (SQLite migrates in one transaction.)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate after the upgrade: %v", err)
		}
		if e.Dialect == sqlstore.SQLite {
			return
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM oauthreg_schema_migrations WHERE version = "+fmt.Sprint(profileMigration)); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("repeating the profile migration after a run interrupted before it was recorded: %v", err)
		}
		if got, err := s.GetClient(ctx, full.ID); err != nil || storetest.Diff(full, got) != nil {
			t.Errorf("repeating the profile migration changed %s: %v %v", full.ID, err, storetest.Diff(full, got))
		}
	})
}

// hasColumn reports whether table has column, on any engine.
func hasColumn(t *testing.T, db *sql.DB, d sqlstore.Dialect, table, column string) bool {
	t.Helper()
	var q string
	switch d {
	case sqlstore.SQLite:
		q = "SELECT COUNT(*) FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'"
	case sqlstore.Postgres:
		q = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '" + table + "' AND column_name = '" + column + "'"
	default:
		q = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '" + table + "' AND column_name = '" + column + "'"
	}
	var n int
	if err := db.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}
