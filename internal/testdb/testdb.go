// Package testdb gives tests of sqlstore (and of code built on it) fresh,
// isolated databases on every SQL engine the machine offers:
//
//   - SQLite always: a file in t.TempDir(), with modernc.org/sqlite;
//   - PostgreSQL when OAUTHREG_TEST_POSTGRES holds a DSN (for example
//     postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable): a new
//     schema per call, dropped when the test ends, with pgx's stdlib driver;
//   - MySQL or MariaDB when OAUTHREG_TEST_MYSQL holds a DSN of
//     go-sql-driver/mysql (for example root@tcp(127.0.0.1:3306)/test): a new
//     database per call, dropped when the test ends.
//
// Without the variable, the PostgreSQL and MySQL engines skip the test with a
// message saying how to enable them, and the package prints one line saying
// so even without -v (see writeSkipNote). Names are random, so concurrent runs and
// leftovers of killed runs never interfere.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/oauthreg/oauthreg/sqlstore"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Environment variables naming the servers to test against.
const (
	PostgresEnv = "OAUTHREG_TEST_POSTGRES"
	MySQLEnv    = "OAUTHREG_TEST_MYSQL"
)

// The messages of a skipped engine test.
const (
	pgSkip    = "PostgreSQL tests skipped: set " + PostgresEnv + " to a DSN, e.g. " + PostgresEnv + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	mysqlSkip = "MySQL/MariaDB tests skipped: set " + MySQLEnv + " to a go-sql-driver/mysql DSN, e.g. " + MySQLEnv + "='root@tcp(127.0.0.1:3306)/test'"
)

// SQLiteDSN returns the modernc.org/sqlite DSN of the database file at path
// with the settings the package documentation recommends.
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	return "file:" + path + "?" + q.Encode()
}

// Engine is one SQL engine to test against.
type Engine struct {
	// Name is the dialect's name: "sqlite", "postgres" or "mysql".
	Name    string
	Dialect sqlstore.Dialect
	// Connector returns a connector to a fresh, empty database (or
	// schema), removed when t ends. It skips t when the engine is not
	// configured, and fails it when the configured server does not
	// answer.
	Connector func(t testing.TB) driver.Connector
}

// Require skips t unless the engine is configured for this run.
func (e Engine) Require(t testing.TB) {
	t.Helper()
	switch e.Dialect {
	case sqlstore.Postgres:
		if os.Getenv(PostgresEnv) == "" {
			skipEngine(t, pgSkip)
		}
	case sqlstore.MySQL:
		if os.Getenv(MySQLEnv) == "" {
			skipEngine(t, mysqlSkip)
		}
	}
}

// Open returns a *sql.DB on a fresh database of the engine, closed when t
// ends.
func (e Engine) Open(t testing.TB) *sql.DB {
	t.Helper()
	db := sql.OpenDB(e.Connector(t))
	t.Cleanup(func() { db.Close() })
	return db
}

// Engines returns SQLite, PostgreSQL and MySQL, in that order.
func Engines() []Engine {
	return []Engine{
		{Name: "sqlite", Dialect: sqlstore.SQLite, Connector: SQLite},
		{Name: "postgres", Dialect: sqlstore.Postgres, Connector: Postgres},
		{Name: "mysql", Dialect: sqlstore.MySQL, Connector: MySQL},
	}
}

// Configured reports which engines this run can test, for messages.
func Configured() []string {
	out := []string{"sqlite"}
	if os.Getenv(PostgresEnv) != "" {
		out = append(out, "postgres")
	}
	if os.Getenv(MySQLEnv) != "" {
		out = append(out, "mysql")
	}
	return out
}

// SQLite returns a connector to a new database file in t.TempDir().
func SQLite(t testing.TB) driver.Connector {
	t.Helper()
	dsn := SQLiteDSN(filepath.Join(t.TempDir(), "oauthreg.db"))
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	d := probe.Driver()
	probe.Close()
	if dc, ok := d.(driver.DriverContext); ok {
		c, err := dc.OpenConnector(dsn)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return dsnConnector{d: d, dsn: dsn}
}

type dsnConnector struct {
	d   driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

// uniqueName returns prefix and random hex digits: a name no other run uses.
func uniqueName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// Postgres returns a connector whose sessions use a new schema, dropped when
// t ends.
func Postgres(t testing.TB) driver.Connector {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		skipEngine(t, pgSkip)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin := stdlib.OpenDB(*cfg)
	defer admin.Close()
	c, cancel := timeout()
	defer cancel()
	schema := uniqueName("oauthreg_test_")
	if _, err := admin.ExecContext(c, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at %s=%s: creating a test schema: %v", PostgresEnv, dsn, err)
	}
	t.Cleanup(func() {
		admin := stdlib.OpenDB(*cfg)
		defer admin.Close()
		c, cancel := timeout()
		defer cancel()
		if _, err := admin.ExecContext(c, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping test schema %s: %v", schema, err)
		}
	})
	scfg := cfg.Copy()
	if scfg.RuntimeParams == nil {
		scfg.RuntimeParams = map[string]string{}
	}
	scfg.RuntimeParams["search_path"] = schema
	return stdlib.GetConnector(*scfg)
}

// MySQL returns a connector to a new database, dropped when t ends.
func MySQL(t testing.TB) driver.Connector {
	t.Helper()
	return MySQLWithSession(t, nil)
}

// MySQLWithSession is MySQL with session variables set on each connection
// it opens (go-sql-driver/mysql's DSN parameters: the value is SQL, so a
// string needs quotes, as in {"sql_mode": "'ANSI'"}). Only this connector's
// sessions see them; the server's global settings are left alone.
func MySQLWithSession(t testing.TB, vars map[string]string) driver.Connector {
	t.Helper()
	dsn := os.Getenv(MySQLEnv)
	if dsn == "" {
		skipEngine(t, mysqlSkip)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", MySQLEnv, err)
	}
	adminCfg := cfg.Clone()
	adminCfg.DBName = ""
	open := func() *sql.DB {
		conn, err := mysql.NewConnector(adminCfg)
		if err != nil {
			t.Fatal(err)
		}
		return sql.OpenDB(conn)
	}
	admin := open()
	defer admin.Close()
	c, cancel := timeout()
	defer cancel()
	name := uniqueName("oauthreg_test_")
	if _, err := admin.ExecContext(c, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("MySQL at %s=%s: creating a test database: %v", MySQLEnv, dsn, err)
	}
	t.Cleanup(func() {
		admin := open()
		defer admin.Close()
		c, cancel := timeout()
		defer cancel()
		if _, err := admin.ExecContext(c, "DROP DATABASE "+name); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	dcfg := cfg.Clone()
	dcfg.DBName = name
	for k, v := range vars {
		if dcfg.Params == nil {
			dcfg.Params = map[string]string{}
		}
		dcfg.Params[k] = v
	}
	conn, err := mysql.NewConnector(dcfg)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}
