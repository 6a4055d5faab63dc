// Package dbopen opens the database an example program is pointed at and
// returns a migrated sqlstore.Store. It is where the examples choose their
// drivers; the library itself imports none.
//
// A DSN selects the engine by its form:
//
//	/path/to/file.db, file:..., or sqlite:/path  SQLite (modernc.org/sqlite, pure Go)
//	postgres://... or postgresql://...           PostgreSQL (pgx)
//	mysql://user:pass@tcp(host:3306)/db          MySQL or MariaDB (go-sql-driver/mysql)
package dbopen

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/oauthreg/oauthreg/sqlstore"
)

// sqlitePragmas are the settings sqlstore's documentation recommends,
// applied to every connection of the pool.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// Open opens dsn, checks the connection, runs the migrations and returns the
// store and the pool (close the pool when done).
func Open(ctx context.Context, dsn string) (*sqlstore.Store, *sql.DB, error) {
	driver, source, dialect, err := Parse(dsn)
	if err != nil {
		return nil, nil, err
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s database: %w", dialectName(dialect), err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to the %s database: %w", dialectName(dialect), err)
	}
	store, err := sqlstore.New(db, dialect)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrate the %s database: %w", dialectName(dialect), err)
	}
	return store, db, nil
}

// Parse maps a DSN to a database/sql driver name, the driver's data source
// and the sqlstore dialect.
func Parse(dsn string) (driver, source string, dialect sqlstore.Dialect, err error) {
	switch {
	case dsn == "":
		return "", "", 0, fmt.Errorf("empty database DSN: give a SQLite file path, a postgres:// URL or a mysql:// DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "pgx", dsn, sqlstore.Postgres, nil
	case strings.HasPrefix(dsn, "mysql://"):
		return "mysql", strings.TrimPrefix(dsn, "mysql://"), sqlstore.MySQL, nil
	case strings.Contains(dsn, "://") && !strings.HasPrefix(dsn, "sqlite://"):
		return "", "", 0, fmt.Errorf("unknown database DSN scheme in %q: use a SQLite file path, postgres:// or mysql://", redact(dsn))
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	if strings.HasPrefix(path, "file:") {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		return "sqlite", path + sep + sqlitePragmas, sqlstore.SQLite, nil
	}
	return "sqlite", "file:" + path + "?" + sqlitePragmas, sqlstore.SQLite, nil
}

func dialectName(d sqlstore.Dialect) string {
	switch d {
	case sqlstore.Postgres:
		return "PostgreSQL"
	case sqlstore.MySQL:
		return "MySQL"
	default:
		return "SQLite"
	}
}

// redact hides a password in a URL-shaped DSN, for error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Describe shows where a DSN points, for a program's startup line: a SQLite
// file path as is, a server DSN (which may hold a password) only by its
// scheme.
func Describe(dsn string) string {
	if _, _, d, err := Parse(dsn); err == nil && d == sqlstore.SQLite {
		return dsn
	}
	if i := strings.Index(dsn, "://"); i > 0 {
		return dsn[:i] + "://…"
	}
	return "…"
}
