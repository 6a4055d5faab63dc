// Package dbopen opens the database an example program is pointed at and
// returns a migrated sqlstore.Store. It is where the examples choose their
// drivers; the library itself imports none. Addresses are read by
// config.ParseDatabase, the one syntax every program of the repository
// accepts:
//
//	/path/to/file.db, sqlite:/path, file:... URI  SQLite (modernc.org/sqlite, pure Go)
//	postgres://... or postgresql://...           PostgreSQL (pgx)
//	mysql://user:pass@tcp(host:3306)/db          MySQL or MariaDB (go-sql-driver/mysql),
//	mysql://user:pass@host:3306/db,              also in URL form or as a bare
//	user:pass@tcp(host:3306)/db                  go-sql-driver DSN
package dbopen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/oauthreg/oauthreg/config"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// MaxIdleConns is how many idle connections the pool Open returns keeps.
// database/sql keeps 2 by default: a server answering more requests at once
// than that closes a connection after almost every query and opens a new
// one for the next (on SQLite: open the file, set the pragmas, prepare the
// statements again), which cut examples/tokenserver's requests per second
// on SQLite by 2 to 3 times in the load run (scripts/load.sh). Open sets no
// limit on open connections: the caller may (db.SetMaxOpenConns).
const MaxIdleConns = 16

// Open opens addr, checks the connection, runs the migrations and returns
// the store and the pool (close the pool when done). A SQLite file that
// does not exist is created.
func Open(ctx context.Context, addr string) (*sqlstore.Store, *sql.DB, error) {
	return open(ctx, addr, false)
}

// OpenExisting is Open for programs that must not create a database (a
// housekeeping job pointed at the wrong path would otherwise report on an
// empty new one): a SQLite file that does not exist is an error.
func OpenExisting(ctx context.Context, addr string) (*sqlstore.Store, *sql.DB, error) {
	return open(ctx, addr, true)
}

func open(ctx context.Context, addr string, mustExist bool) (*sqlstore.Store, *sql.DB, error) {
	d, err := config.ParseDatabase(addr)
	if err != nil {
		return nil, nil, err
	}
	where := fmt.Sprintf("%s database %s", dialectName(d.Dialect), d)
	if mustExist && d.Path != "" {
		if _, err := os.Stat(d.Path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s does not exist (this program does not create one: check the path)", where)
		} else if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	db, err := sql.Open(d.Driver, d.DataSource)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", where, err)
	}
	db.SetMaxIdleConns(MaxIdleConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to the %s: %w", where, err)
	}
	store, err := sqlstore.New(db, d.Dialect)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrate the %s: %w", where, err)
	}
	return store, db, nil
}

// Parse maps an address to a database/sql driver name, the driver's data
// source and the sqlstore dialect (config.ParseDatabase).
func Parse(addr string) (driver, source string, dialect sqlstore.Dialect, err error) {
	d, err := config.ParseDatabase(addr)
	if err != nil {
		return "", "", 0, err
	}
	return d.Driver, d.DataSource, d.Dialect, nil
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

// Describe shows where an address points, for a program's startup line: a
// SQLite file path as is, a server without its password.
func Describe(addr string) string {
	d, err := config.ParseDatabase(addr)
	if err != nil {
		return "(invalid address)"
	}
	return d.String()
}
