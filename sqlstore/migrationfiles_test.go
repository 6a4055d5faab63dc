package sqlstore_test

import (
	"bufio"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// TestAtlasSumListsEveryMigration: each dialect's atlas.sum names exactly
// the migration files, in order. (Its hashes are checked with atlas itself
// in internal/migrationcheck, with goose and atlas on every engine.)
func TestAtlasSumListsEveryMigration(t *testing.T) {
	for _, d := range []sqlstore.Dialect{sqlstore.SQLite, sqlstore.Postgres, sqlstore.MySQL} {
		fsys, err := sqlstore.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(fsys, "*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("%v: no migration files: %v", d, err)
		}
		sum, err := fs.ReadFile(fsys, "atlas.sum")
		if err != nil {
			t.Fatalf("%v: %v (run `go generate ./sqlstore`)", d, err)
		}
		var listed []string
		sc := bufio.NewScanner(strings.NewReader(string(sum)))
		for sc.Scan() {
			if name, _, ok := strings.Cut(sc.Text(), " h1:"); ok {
				listed = append(listed, name)
			}
		}
		if !slices.Equal(listed, files) {
			t.Errorf("%v: atlas.sum lists %v, the directory holds %v: run `go generate ./sqlstore` after adding or changing a migration", d, listed, files)
		}
	}
}

func TestWithGooseTableRefusesBadNames(t *testing.T) {
	db := testdb.Engines()[0].Open(t)
	for _, name := range []string{"", "1goose", "Goose", "goose-db", "goose;drop", "a.b", strings.Repeat("g", 64)} {
		if _, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithGooseTable(name)); err == nil {
			t.Errorf("WithGooseTable(%q) accepted", name)
		}
	}
	for _, name := range []string{sqlstore.DefaultGooseTable, "oauthreg_goose_db_version", strings.Repeat("g", 63)} {
		if _, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.WithGooseTable(name)); err != nil {
			t.Errorf("WithGooseTable(%q): %v", name, err)
		}
	}
}
