package migrationcheck

import (
	"errors"
	"slices"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
)

// TestAtlasReadsTheDirectories: each dialect's directory is a valid atlas
// versioned-migration directory (atlas.sum in step with the files, as atlas
// itself computes it) and atlas splits the files into the statements
// Migrate runs. The statements are compared on SQLite always, on the other
// engines when they are configured.
func TestAtlasReadsTheDirectories(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dir, err := migrate.NewLocalDir(diskDir(e.Dialect))
			if err != nil {
				t.Fatal(err)
			}
			if err := migrate.Validate(dir); err != nil {
				if errors.Is(err, migrate.ErrChecksumMismatch) {
					t.Fatalf("%s/atlas.sum is not in step with the migration files: run `go generate ./sqlstore` from the repository root", diskDir(e.Dialect))
				}
				t.Fatalf("atlas refuses %s: %v", diskDir(e.Dialect), err)
			}
			files, err := dir.Files()
			if err != nil {
				t.Fatal(err)
			}
			_, versions := migrationFiles(t, e.Dialect)
			if len(files) != len(versions) {
				t.Fatalf("atlas sees %d migration files, goose and Migrate %d", len(files), len(versions))
			}
			var atlasStmts []string
			for _, f := range files {
				stmts, err := f.Stmts()
				if err != nil {
					t.Fatalf("atlas cannot split %s: %v", f.Name(), err)
				}
				atlasStmts = append(atlasStmts, stmts...)
			}
			atlasStmts = schemaStatements(atlasStmts)

			e.Require(t)
			db, inj := recordingDB(t, e)
			inj.Arm(0, faultdriver.Before)
			migrateWithStore(t, e.Dialect, db)
			migrateStmts := schemaStatements(inj.Statements())
			inj.Disarm()
			if len(atlasStmts) == 0 || !slices.Equal(atlasStmts, migrateStmts) {
				t.Errorf("atlas and Migrate split the files differently:\natlas:\n\t%s\nMigrate:\n\t%s",
					join(atlasStmts), join(migrateStmts))
			}
		})
	}
}
