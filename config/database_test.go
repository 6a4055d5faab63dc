package config_test

import (
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/sqlstore"
)

func TestParseDatabase(t *testing.T) {
	cases := []struct {
		addr, driver, source, path, shown string
		dialect                           sqlstore.Dialect
	}{
		{"postgres://u:pw@h:5432/db?sslmode=disable", "pgx", "postgres://u:pw@h:5432/db?sslmode=disable", "", "postgres://u@h:5432/db", sqlstore.Postgres},
		{"postgresql://h/db", "pgx", "postgresql://h/db", "", "postgresql://h/db", sqlstore.Postgres},
		{"mysql://root@tcp(127.0.0.1:3306)/test", "mysql", "root@tcp(127.0.0.1:3306)/test", "", "mysql://root@tcp(127.0.0.1:3306)/test", sqlstore.MySQL},
		{"root:pw@tcp(127.0.0.1:3306)/test?parseTime=true", "mysql", "root:pw@tcp(127.0.0.1:3306)/test?parseTime=true", "", "mysql://root@tcp(127.0.0.1:3306)/test", sqlstore.MySQL},
		{"mysql://app:p%40ss@db.example/oauth?tls=true", "mysql", "app:p@ss@tcp(db.example:3306)/oauth?tls=true", "", "mysql://app@tcp(db.example:3306)/oauth", sqlstore.MySQL},
		{"tcp(db:3306)/oauth", "mysql", "tcp(db:3306)/oauth", "", "mysql://tcp(db:3306)/oauth", sqlstore.MySQL},
		{"sqlite:/var/lib/o.db", "sqlite", "file:/var/lib/o.db?", "/var/lib/o.db", "/var/lib/o.db", sqlstore.SQLite},
		{"sqlite:///abs/o.db", "sqlite", "file:/abs/o.db?", "/abs/o.db", "/abs/o.db", sqlstore.SQLite},
		{"./clients.db", "sqlite", "file:./clients.db?", "./clients.db", "./clients.db", sqlstore.SQLite},
		{"file:c.db?mode=ro", "sqlite", "file:c.db?mode=ro&", "c.db", "file:c.db?mode=ro", sqlstore.SQLite},
		{"file:c.db?_pragma=busy_timeout(5)", "sqlite", "file:c.db?_pragma=busy_timeout(5)", "c.db", "file:c.db?_pragma=busy_timeout(5)", sqlstore.SQLite},
		{"file::memory:?cache=shared", "sqlite", "file::memory:?cache=shared&", "", "file::memory:?cache=shared", sqlstore.SQLite},
	}
	for _, c := range cases {
		d, err := config.ParseDatabase(c.addr)
		if err != nil {
			t.Errorf("%s: %v", c.addr, err)
			continue
		}
		if d.Driver != c.driver || !strings.HasPrefix(d.DataSource, c.source) || d.Path != c.path || d.String() != c.shown || d.Dialect != c.dialect {
			t.Errorf("%s: got %s %q path %q shown %q %v", c.addr, d.Driver, d.DataSource, d.Path, d.String(), d.Dialect)
		}
		if d.Dialect == sqlstore.SQLite && !strings.Contains(d.DataSource, "_pragma=") {
			t.Errorf("%s: SQLite without the recommended settings: %q", c.addr, d.DataSource)
		}
	}
	for _, bad := range []string{"", "  ", "redis://h", "mysql://", "mysql://host-without-db", "postgres://", "sqlite:", "file:", "a.db?x=1"} {
		if d, err := config.ParseDatabase(bad); err == nil {
			t.Errorf("%q accepted as %+v", bad, d)
		}
	}
	// A password never appears in an error.
	if _, err := config.ParseDatabase("mysql://u:sekrit@"); err == nil || strings.Contains(err.Error(), "sekrit") {
		t.Errorf("error %v", err)
	}
}
