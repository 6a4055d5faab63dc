package dbopen

import (
	"context"
	"database/sql"
	"os"
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
	// Connections used at once are kept for the next queries, not closed
	// and reopened.
	const n = 8
	ctx := context.Background()
	for range 3 {
		conns := make([]*sql.Conn, n)
		for i := range conns {
			if conns[i], err = db.Conn(ctx); err != nil {
				t.Fatal(err)
			}
			if err := conns[i].PingContext(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
	if st := db.Stats(); st.MaxIdleClosed != 0 || st.OpenConnections != n {
		t.Errorf("%d connections used at once: %d closed as surplus idle ones, %d open", n, st.MaxIdleClosed, st.OpenConnections)
	}
}

func TestDescribeHidesPasswords(t *testing.T) {
	if got := Describe("postgres://u:hunter2@h/db"); strings.Contains(got, "hunter2") {
		t.Fatal(got)
	}
	if got := Describe("mysql://root:pw@tcp(h:3306)/db"); strings.Contains(got, "pw") {
		t.Fatal(got)
	}
	if got := Describe("/tmp/x.db"); got != "/tmp/x.db" {
		t.Fatal(got)
	}
}

func TestOpenExistingRefusesAMissingFile(t *testing.T) {
	missing := t.TempDir() + "/missing.db"
	_, _, err := OpenExisting(t.Context(), missing)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("OpenExisting(missing) = %v, want an error naming the path", err)
	}
	if _, statErr := os.Stat(missing); statErr == nil {
		t.Error("OpenExisting created the file")
	}
	store, db, err := Open(t.Context(), missing)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	db.Close()
	if _, db, err := OpenExisting(t.Context(), missing); err != nil {
		t.Errorf("OpenExisting(existing) = %v", err)
	} else {
		db.Close()
	}
}

func TestBareMySQLDSNIsMySQL(t *testing.T) {
	if _, _, d, err := Parse("root@tcp(127.0.0.1:3306)/test"); err != nil || d != sqlstore.MySQL {
		t.Errorf("a bare go-sql-driver DSN is %v, %v; want MySQL (it used to be taken as a SQLite file name)", d, err)
	}
}
