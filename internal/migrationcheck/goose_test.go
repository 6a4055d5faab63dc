package migrationcheck

import (
	"slices"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestGooseRunsWhatMigrateRuns: goose applies every migration file as it is
// shipped, runs the same statements as Migrate, and leaves the same schema.
func TestGooseRunsWhatMigrateRuns(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			_, versions := migrationFiles(t, e.Dialect)

			byGoose, gooseInj := recordingDB(t, e)
			gooseInj.Arm(0, faultdriver.Before)
			results, err := newGoose(t, e.Dialect, byGoose).Up(ctx(t))
			if err != nil {
				t.Fatalf("goose up: %v", err)
			}
			gooseStmts := schemaStatements(gooseInj.Statements())
			gooseInj.Disarm()
			if len(results) != len(versions) {
				t.Fatalf("goose applied %d migrations, the directory has %d (%v)", len(results), len(versions), versions)
			}
			for i, r := range results {
				if r.Source.Version != versions[i] || r.Error != nil {
					t.Errorf("goose result %d: version %d, error %v; want version %d", i, r.Source.Version, r.Error, versions[i])
				}
			}

			byMigrate, migrateInj := recordingDB(t, e)
			migrateInj.Arm(0, faultdriver.Before)
			migrateWithStore(t, e.Dialect, byMigrate)
			migrateStmts := schemaStatements(migrateInj.Statements())
			migrateInj.Disarm()

			if len(migrateStmts) == 0 || !slices.Equal(gooseStmts, migrateStmts) {
				t.Errorf("goose and Migrate ran different statements:\ngoose:\n\t%s\nMigrate:\n\t%s",
					join(gooseStmts), join(migrateStmts))
			}
			if g, m := schema(t, e.Dialect, byGoose), schema(t, e.Dialect, byMigrate); len(m) == 0 || !slices.Equal(g, m) {
				t.Errorf("schemas differ:\ngoose:\n\t%s\nMigrate:\n\t%s", join(g), join(m))
			}
		})
	}
}

// TestStoretestOnGooseSchema runs the conformance suite on databases that
// goose alone migrated.
func TestStoretestOnGooseSchema(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			storetest.Run(t, func(t *testing.T) oauthreg.Store {
				db := e.Open(t)
				if _, err := newGoose(t, e.Dialect, db).Up(ctx(t)); err != nil {
					t.Fatalf("goose up: %v", err)
				}
				st, err := sqlstore.New(db, e.Dialect)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			})
		})
	}
}

// TestMigrateAndGooseAgree: with WithGooseTable, whichever tool migrated a
// database (and however far), the other one finds the same versions applied
// and applies only the rest; the schema ends as Migrate alone makes it.
func TestMigrateAndGooseAgree(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			_, versions := migrationFiles(t, e.Dialect)
			reference := e.Open(t)
			migrateWithStore(t, e.Dialect, reference)
			want := schema(t, e.Dialect, reference)
			withGoose := sqlstore.WithGooseTable(gooseTable)

			// goose applied the first k migrations; Migrate does the rest;
			// then goose has nothing left to do.
			for k := 0; k <= len(versions); k++ {
				db, inj := recordingDB(t, e)
				if k > 0 {
					if _, err := newGoose(t, e.Dialect, db).UpTo(ctx(t), versions[k-1]); err != nil {
						t.Fatalf("goose up-to %d: %v", versions[k-1], err)
					}
				}
				inj.Arm(0, faultdriver.Before)
				migrateWithStore(t, e.Dialect, db, withGoose)
				if n := len(schemaStatements(inj.Statements())); k == len(versions) && n != 0 {
					t.Errorf("goose applied everything, yet Migrate ran %d schema statements", n)
				}
				inj.Disarm()
				if got := appliedByMigrate(t, db); !slices.Equal(got, versions) {
					t.Errorf("k=%d: Migrate's table records %v, want %v", k, got, versions)
				}
				if got := appliedByGoose(t, db); !slices.Equal(got, versions) {
					t.Errorf("k=%d: goose's table records %v, want %v", k, got, versions)
				}
				p := newGoose(t, e.Dialect, db)
				if res, err := p.Up(ctx(t)); err != nil || len(res) != 0 {
					t.Errorf("k=%d: goose up after Migrate applied %d migrations, error %v; want none", k, len(res), err)
				}
				if v, err := p.GetDBVersion(ctx(t)); err != nil || v != versions[len(versions)-1] {
					t.Errorf("k=%d: goose version %d, %v; want %d", k, v, err, versions[len(versions)-1])
				}
				if got := schema(t, e.Dialect, db); !slices.Equal(got, want) {
					t.Errorf("k=%d: schema differs from Migrate's:\ngot:\n\t%s\nwant:\n\t%s", k, join(got), join(want))
				}
			}

			// Switching from Migrate to goose: a database Migrate ran
			// without the option; one Migrate with it hands over to goose.
			db := e.Open(t)
			migrateWithStore(t, e.Dialect, db)
			migrateWithStore(t, e.Dialect, db, withGoose)
			if res, err := newGoose(t, e.Dialect, db).Up(ctx(t)); err != nil || len(res) != 0 {
				t.Errorf("switch to goose: goose up applied %d migrations, error %v; want none", len(res), err)
			}
			// And Migrate with the option is idempotent.
			migrateWithStore(t, e.Dialect, db, withGoose)
			if got := appliedByGoose(t, db); !slices.Equal(got, versions) {
				t.Errorf("after a second Migrate, goose's table records %v, want %v", got, versions)
			}
		})
	}
}

func join(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n\t"
		}
		out += l
	}
	return out
}
