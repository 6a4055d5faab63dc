package sqlstore_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// tmpTableCounters reads the session's temporary-table counters.
func tmpTableCounters(t *testing.T, ctx context.Context, db *sql.DB) (conn int64, disk, all int64) {
	t.Helper()
	if err := db.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&conn); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, "SHOW SESSION STATUS WHERE Variable_name IN ('Created_tmp_disk_tables', 'Created_tmp_tables')")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			t.Fatal(err)
		}
		switch strings.ToLower(name) {
		case "created_tmp_disk_tables":
			disk = v
		case "created_tmp_tables":
			all = v
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return conn, disk, all
}

// TestMySQLReadsNoDiskTempTable checks that GetClient and ListClients (every
// variant: with and without owner and cursor) create no on-disk temporary
// table on MySQL or MariaDB. MariaDB materialises JSON_ARRAYAGG in one at
// every execution, which once made each read several times slower.
//
// The Store's pool is limited to one connection for the reads, so that they
// and the SHOW SESSION STATUS around them run in the same session (checked
// with CONNECTION_ID()).
func TestMySQLReadsNoDiskTempTable(t *testing.T) {
	i := slices.IndexFunc(testdb.Engines(), func(e testdb.Engine) bool { return e.Dialect == sqlstore.MySQL })
	e := testdb.Engines()[i]
	e.Require(t)
	s, db := newStore(t, e)
	ctx := t.Context()

	var want []*oauthreg.Client
	for _, id := range []string{"c-4", "c-2", "c-1", "c-3", "c-5"} {
		c := storetest.NewClient(id) // three secrets
		c.Owner = "org-tmp"
		if len(c.Secrets) != 3 {
			t.Fatalf("storetest.NewClient has %d secrets, want 3", len(c.Secrets))
		}
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		want = append(want, c)
	}
	slices.SortFunc(want, func(a, b *oauthreg.Client) int { return strings.Compare(a.ID, b.ID) })
	// One connection from here on (not before: CreateClient prepares its
	// statements on first use from inside a transaction, which holds one).
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)

	reads := func() {
		t.Helper()
		got, err := s.GetClient(ctx, "c-3")
		if err != nil {
			t.Fatal(err)
		}
		if d := storetest.Diff(want[2], got); d != nil {
			t.Fatalf("GetClient: %v", d)
		}
		first, err := s.ListClients(ctx, oauthreg.ListQuery{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []oauthreg.ListQuery{
			{Limit: 2},
			{Limit: 2, Owner: "org-tmp"},
			{Limit: 2, Cursor: first.NextCursor},
			{Limit: 2, Owner: "org-tmp", Cursor: first.NextCursor},
		} {
			page, err := s.ListClients(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			at := 0
			if q.Cursor != "" {
				at = 2
			}
			if len(page.Clients) != 2 {
				t.Fatalf("ListClients(%+v) returned %d clients, want 2", q, len(page.Clients))
			}
			for i, c := range page.Clients {
				if d := storetest.Diff(want[at+i], c); d != nil {
					t.Fatalf("ListClients(%+v), client %d: %v", q, i, d)
				}
			}
		}
	}
	// Prepare the statements and warm up, untimed by the counters.
	reads()

	conn0, disk0, all0 := tmpTableCounters(t, ctx, db)
	// The status query's own effect, measured with nothing in between.
	conn1, disk1, all1 := tmpTableCounters(t, ctx, db)
	const rounds = 5
	for range rounds {
		reads()
	}
	conn2, disk2, all2 := tmpTableCounters(t, ctx, db)
	if conn0 != conn1 || conn1 != conn2 {
		t.Fatalf("the counters were read on connections %d, %d and %d: the reads may have run in another session", conn0, conn1, conn2)
	}
	overheadDisk, overheadAll := disk1-disk0, all1-all0
	readsDisk, readsAll := disk2-disk1-overheadDisk, all2-all1-overheadAll
	t.Logf("%d rounds of 1 GetClient and 5 ListClients: Created_tmp_disk_tables +%d, Created_tmp_tables +%d "+
		"(net of SHOW STATUS's own +%d, +%d)", rounds, readsDisk, readsAll, overheadDisk, overheadAll)
	if readsDisk != 0 {
		t.Errorf("GetClient and ListClients created %d on-disk temporary tables in %d rounds, want none", readsDisk, rounds)
	}

	// GetClient alone: no temporary table at all.
	_, _, before := tmpTableCounters(t, ctx, db)
	for range rounds {
		if _, err := s.GetClient(ctx, "c-1"); err != nil {
			t.Fatal(err)
		}
	}
	_, _, after := tmpTableCounters(t, ctx, db)
	if n := after - before - overheadAll; n != 0 {
		t.Errorf("%d GetClient calls created %d temporary tables, want none", rounds, n)
	}

	// The measurement works: the JSON_ARRAYAGG query GetClient used to
	// run makes MariaDB create an on-disk table (logged, not asserted:
	// MySQL 8 and later MariaDB versions may not).
	_, disk3, _ := tmpTableCounters(t, ctx, db)
	rows, err := db.QueryContext(ctx, aggregateSQL(sqlstore.MySQL), "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := rows.Close(); err != nil { // reads the result
		t.Fatal(err)
	}
	_, disk4, _ := tmpTableCounters(t, ctx, db)
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("for comparison, on %s the former JSON_ARRAYAGG lookup created %d on-disk temporary table(s)",
		version, disk4-disk3-overheadDisk)
}
