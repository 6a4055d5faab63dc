package dbopen

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/sqlstore"
)

func TestParse(t *testing.T) {
	for dsn, want := range map[string]sqlstore.Dialect{
		"/tmp/x.db":                         sqlstore.SQLite,
		"file:/tmp/x.db?mode=rwc":           sqlstore.SQLite,
		"sqlite:/tmp/x.db":                  sqlstore.SQLite,
		"postgres://u@h/db":                 sqlstore.Postgres,
		"postgresql://u@h/db":               sqlstore.Postgres,
		"mysql://root@tcp(127.0.0.1:3306)/": sqlstore.MySQL,
	} {
		_, source, d, err := Parse(dsn)
		if err != nil || d != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", dsn, d, err, want)
		}
		if d == sqlstore.SQLite && !strings.Contains(source, "journal_mode(WAL)") {
			t.Errorf("Parse(%q): SQLite pragmas missing: %s", dsn, source)
		}
	}
	for _, bad := range []string{"", "redis://x", "http://user:pw@x"} {
		if _, _, _, err := Parse(bad); err == nil || strings.Contains(err.Error(), "pw@") {
			t.Errorf("Parse(%q): %v", bad, err)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	store, db, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if store.Dialect() != sqlstore.SQLite {
		t.Fatal("dialect")
	}
}
