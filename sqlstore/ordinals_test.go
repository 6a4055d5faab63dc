package sqlstore_test

import (
	"database/sql"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestKeptOrdinals checks, on every engine, that an update keeps the
// stored ordinal of each kept secret when the order allows it (a secret
// takes the next one only when its own is not above the previous
// secret's), so that purging the oldest secret rewrites none of the others.
// On PostgreSQL it also checks that those rows were not written at all:
// their xmin, the transaction that wrote them, stays the same.
func TestKeptOrdinals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		db := e.Open(t)
		s := migratedStore(t, db, e.Dialect)
		ctx := t.Context()
		q := func(query string) string {
			if e.Dialect == sqlstore.Postgres {
				return rebindFor(e.Dialect, query)
			}
			return query
		}
		// ordinals returns the stored secret IDs in ordinal order, their
		// ordinals and (PostgreSQL) their xmin.
		ordinals := func(id string) (ids []string, ords []int64, xmin map[string]string) {
			t.Helper()
			query := "SELECT secret_id, ordinal, '' FROM oauthreg_client_secrets WHERE client_id = ? ORDER BY ordinal"
			if e.Dialect == sqlstore.Postgres {
				query = "SELECT secret_id, ordinal, xmin::text FROM oauthreg_client_secrets WHERE client_id = ? ORDER BY ordinal"
			}
			rows, err := db.QueryContext(ctx, q(query), id)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			xmin = map[string]string{}
			for rows.Next() {
				var sid, x string
				var ord int64
				if err := rows.Scan(&sid, &ord, &x); err != nil {
					t.Fatal(err)
				}
				ids, ords, xmin[sid] = append(ids, sid), append(ords, ord), x
			}
			if err := rows.Err(); err != nil && err != sql.ErrNoRows {
				t.Fatal(err)
			}
			return ids, ords, xmin
		}
		t0 := storetest.BaseTime()
		c := &oauthreg.Client{ID: "ordinals", Secrets: []oauthreg.Secret{
			storetest.NewSecret("s1", t0), storetest.NewSecret("s2", t0.Add(time.Second)), storetest.NewSecret("s3", t0.Add(2*time.Second)),
		}}
		if err := s.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, _, xmin0 := ordinals(c.ID)

		for _, step := range []struct {
			name      string
			change    func(c *oauthreg.Client)
			wantIDs   []string
			wantOrds  []int64
			unwritten []string // rows PostgreSQL must not have rewritten
		}{
			{"purge the oldest", func(c *oauthreg.Client) { c.Secrets = c.Secrets[1:] },
				[]string{"s2", "s3"}, []int64{1, 2}, []string{"s2", "s3"}},
			{"append one", func(c *oauthreg.Client) { c.Secrets = append(c.Secrets, storetest.NewSecret("s4", t0)) },
				[]string{"s2", "s3", "s4"}, []int64{1, 2, 3}, []string{"s2", "s3"}},
			{"move the newest first", func(c *oauthreg.Client) {
				c.Secrets = append([]oauthreg.Secret{c.Secrets[2]}, c.Secrets[:2]...)
			}, []string{"s4", "s2", "s3"}, []int64{3, 4, 5}, []string{"s4"}},
			// The stored ordinals end at the largest an INTEGER holds
			// (set below): the next secret renumbers them all.
			{"append past the largest ordinal", func(c *oauthreg.Client) {
				c.Secrets = append(c.Secrets, storetest.NewSecret("s5", t0))
			}, []string{"s4", "s2", "s3", "s5"}, []int64{0, 1, 2, 3}, nil},
		} {
			if step.unwritten == nil {
				if _, err := db.ExecContext(ctx, q("UPDATE oauthreg_client_secrets SET ordinal = ordinal + ? WHERE client_id = ?"),
					math.MaxInt32-5, c.ID); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.GetClient(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			step.change(got)
			if err := s.UpdateClient(ctx, got); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			ids, ords, xmin := ordinals(c.ID)
			if !slices.Equal(ids, step.wantIDs) || !slices.Equal(ords, step.wantOrds) {
				t.Errorf("%s: stored secrets %v at ordinals %v, want %v at %v", step.name, ids, ords, step.wantIDs, step.wantOrds)
			}
			read, err := s.GetClient(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var readIDs []string
			for _, sec := range read.Secrets {
				readIDs = append(readIDs, sec.ID)
			}
			if !slices.Equal(readIDs, step.wantIDs) {
				t.Errorf("%s: GetClient returns the secrets %v, want %v", step.name, readIDs, step.wantIDs)
			}
			if e.Dialect == sqlstore.Postgres {
				for _, id := range step.unwritten {
					if xmin[id] != xmin0[id] && xmin0[id] != "" {
						t.Errorf("%s: the row of kept secret %s was rewritten (xmin %s, was %s)", step.name, id, xmin[id], xmin0[id])
					}
				}
			}
			xmin0 = xmin
		}
	})
}
