package sqlstore_test

import (
	"slices"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestUpgradeListFilters fills a database at schema version 4 (before the
// tags table and the secret index), migrates it forward, and checks that
// nothing is lost and that the new indexes know the old clients: tag
// listings and secret lookups find them.
func TestUpgradeListFilters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		db := e.Open(t)
		ctx := t.Context()
		old, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.MigrateTo(ctx, old, 4); err != nil {
			t.Fatalf("migrating to version 4: %v", err)
		}
		// Written as the code of version 4 did, which knew nothing of tags.
		var want []*oauthreg.Client
		for _, id := range []string{"u1", "u2", "u3"} {
			c := preProfileClient(id)
			c.Version = 1
			if id == "u2" {
				c.SystemTags, c.UserTags = nil, []string{"zone=a", "zone=a"}
			}
			if id == "u3" {
				c.SystemTags, c.UserTags, c.Secrets = nil, nil, nil
			}
			if err := old.CreateClientWithoutProfile(ctx, c); err != nil {
				t.Fatalf("filling version 4 with %s: %v", id, err)
			}
			want = append(want, c)
		}

		st, err := sqlstore.New(db, e.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Migrate(ctx); err != nil {
			t.Fatalf("migrating forward: %v", err)
		}
		checkUpgraded(t, st, want)
		list := func(q oauthreg.ListQuery) []string {
			t.Helper()
			page, err := st.ListClients(ctx, q)
			if err != nil {
				t.Fatalf("ListClients: %v", err)
			}
			var ids []string
			for _, c := range page.Clients {
				ids = append(ids, c.ID)
			}
			return ids
		}
		if got := list(oauthreg.ListQuery{SystemTag: "zone=a"}); !slices.Equal(got, []string{"u1"}) {
			t.Errorf("after the upgrade, system tag zone=a lists %q, want [u1]", got)
		}
		if got := list(oauthreg.ListQuery{UserTag: "zone=a"}); !slices.Equal(got, []string{"u2"}) {
			t.Errorf("after the upgrade, user tag zone=a lists %q, want [u2]", got)
		}
		if got := list(oauthreg.ListQuery{UserTag: "ключ"}); !slices.Equal(got, []string{"u1"}) {
			t.Errorf("after the upgrade, user tag ключ lists %q, want [u1]", got)
		}
		ids, err := st.ClientsWithSecret(ctx, want[1].Secrets[0].ID)
		if err != nil || !slices.Equal(ids, []string{"u1", "u2"}) { // the fixture's secret IDs repeat
			t.Errorf("after the upgrade, ClientsWithSecret = %q, %v; want [u1 u2]", ids, err)
		}
		// A run that failed after its DDL (MySQL cannot roll DDL back) is
		// repeated: forget version 5 and migrate again.
		if _, err := db.ExecContext(ctx, "DELETE FROM oauthreg_schema_migrations WHERE version = 5"); err != nil {
			t.Fatal(err)
		}
		if err := st.Migrate(ctx); err != nil {
			t.Fatalf("repeating migration 5: %v", err)
		}
		if got := list(oauthreg.ListQuery{UserTag: "zone=a"}); !slices.Equal(got, []string{"u2"}) {
			t.Errorf("after repeating migration 5, user tag zone=a lists %q, want [u2]", got)
		}
	})
}

// checkUpgraded fails t unless st holds exactly the clients want.
func checkUpgraded(t *testing.T, st *sqlstore.Store, want []*oauthreg.Client) {
	t.Helper()
	for _, c := range want {
		got, err := st.GetClient(t.Context(), c.ID)
		if err != nil {
			t.Fatalf("GetClient(%s) after the upgrade: %v", c.ID, err)
		}
		if d := storetest.Diff(c, got); len(d) > 0 {
			t.Errorf("client %s changed in the upgrade: %v", c.ID, d)
		}
	}
}
