package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// Database is a parsed database address: what to give database/sql's Open
// and sqlstore.New. The package imports no driver; the program registers the
// one it names (pgx's stdlib as "pgx", go-sql-driver/mysql as "mysql",
// modernc.org/sqlite as "sqlite").
type Database struct {
	// Driver is the database/sql driver name: "pgx", "mysql" or "sqlite".
	Driver string
	// DataSource is the driver's data source name. It may hold a
	// password: never print it (use String).
	DataSource string
	// Dialect is the sqlstore dialect.
	Dialect sqlstore.Dialect
	// Path is the SQLite database file ("" for other engines and for
	// in-memory SQLite), so that a program that must not create a new
	// database can check that it exists.
	Path string

	shown string // what String prints
}

// sqlitePragmas are the settings sqlstore's documentation recommends for
// every SQLite connection.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

// ParseDatabase parses a database address in any of the forms users
// already have:
//
//	postgres://user:pass@host:5432/db?sslmode=disable   PostgreSQL (also postgresql://)
//	mysql://user:pass@tcp(host:3306)/db                 MySQL/MariaDB, go-sql-driver DSN after the scheme
//	mysql://user:pass@host:3306/db                      MySQL/MariaDB, URL form
//	user:pass@tcp(host:3306)/db                         MySQL/MariaDB, a bare go-sql-driver DSN
//	sqlite:/var/lib/oauthreg.db, sqlite:///abs/path     SQLite file
//	file:clients.db?mode=ro                             SQLite file URI (modernc.org/sqlite)
//	./clients.db, /var/lib/oauthreg.db                  SQLite file path
//
// SQLite addresses get sqlstore's recommended settings (busy timeout, WAL,
// foreign keys) unless a file: URI sets _pragma itself. Errors never echo a
// password.
func ParseDatabase(addr string) (Database, error) {
	addr = strings.TrimSpace(addr)
	lower := strings.ToLower(addr)
	switch {
	case addr == "":
		return Database{}, errors.New("config: empty database address: give a SQLite file path, a postgres:// URL or a MySQL DSN")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(addr)
		if err != nil || u.Host == "" {
			return Database{}, fmt.Errorf("config: database address %s is not a valid postgres:// URL", describeURL(addr))
		}
		return Database{Driver: "pgx", DataSource: addr, Dialect: sqlstore.Postgres, shown: describeURL(addr)}, nil
	case strings.HasPrefix(lower, "mysql://"):
		return parseMySQL(addr[len("mysql://"):])
	case isMySQLDSN(addr):
		return parseMySQL(addr)
	case strings.HasPrefix(lower, "sqlite://"):
		return sqliteFile(addr[len("sqlite://"):])
	case strings.HasPrefix(lower, "sqlite:"):
		return sqliteFile(addr[len("sqlite:"):])
	case strings.HasPrefix(lower, "file:"):
		return sqliteURI(addr)
	case strings.Contains(addr, "://"):
		scheme, _, _ := strings.Cut(addr, "://")
		return Database{}, fmt.Errorf("config: unknown database address scheme %q: use postgres://, mysql://, sqlite:, file: or a file path", oauthreg.SanitizeInput(scheme))
	}
	return sqliteFile(addr)
}

// String shows where the database is without a password: a SQLite path as
// is, a server as scheme://user@host/db.
func (d Database) String() string { return d.shown }

// isMySQLDSN reports whether s is a bare go-sql-driver/mysql DSN:
// [user[:password]@]net(address)/dbname.
func isMySQLDSN(s string) bool {
	at := strings.LastIndex(s, "@")
	rest := s[at+1:]
	for _, n := range []string{"tcp(", "tcp6(", "unix("} {
		if strings.HasPrefix(rest, n) && strings.Contains(rest, ")/") {
			return true
		}
	}
	return false
}

func parseMySQL(dsn string) (Database, error) {
	if !isMySQLDSN(dsn) {
		// URL form: user:pass@host:port/db?params
		u, err := url.Parse("mysql://" + dsn)
		if err != nil || u.Host == "" || strings.Trim(u.Path, "/") == "" {
			return Database{}, errors.New("config: MySQL database address: use mysql://user:pass@host:3306/db or user:pass@tcp(host:3306)/db")
		}
		host := u.Host
		if u.Port() == "" {
			host += ":3306"
		}
		user := ""
		if u.User != nil {
			user = u.User.Username()
			if p, ok := u.User.Password(); ok {
				user += ":" + p
			}
			user += "@"
		}
		dsn = user + "tcp(" + host + ")/" + strings.Trim(u.Path, "/")
		if u.RawQuery != "" {
			dsn += "?" + u.RawQuery
		}
	}
	at := strings.LastIndex(dsn, "@")
	userPart, rest := dsn[:max(at, 0)], dsn[at+1:]
	user, _, _ := strings.Cut(userPart, ":")
	shown := "mysql://"
	if user != "" {
		shown += oauthreg.SanitizeInput(user) + "@"
	}
	target, _, _ := strings.Cut(rest, "?")
	shown += oauthreg.SanitizeInput(target)
	return Database{Driver: "mysql", DataSource: dsn, Dialect: sqlstore.MySQL, shown: shown}, nil
}

func sqliteFile(path string) (Database, error) {
	if path == "" {
		return Database{}, errors.New("config: SQLite database address without a file path")
	}
	if strings.ContainsRune(path, 0) {
		return Database{}, errors.New("config: SQLite file path holds a NUL byte")
	}
	if strings.ContainsAny(path, "?#") {
		return Database{}, fmt.Errorf("config: SQLite file path %q holds ? or #: write it as a file: URI", oauthreg.SanitizeInput(path))
	}
	return Database{Driver: "sqlite", DataSource: "file:" + path + "?" + sqlitePragmas, Dialect: sqlstore.SQLite,
		Path: path, shown: printable(path)}, nil
}

func sqliteURI(uri string) (Database, error) {
	rest := uri[len("file:"):]
	path, query, _ := strings.Cut(rest, "?")
	path, _, _ = strings.Cut(path, "#")
	if strings.HasPrefix(path, "//") { // file://host/path or file:///path
		u, err := url.Parse(uri)
		if err != nil {
			return Database{}, fmt.Errorf("config: SQLite file URI %q is not a valid URI", oauthreg.SanitizeInput(uri))
		}
		path = u.Path
	}
	if unescaped, err := url.PathUnescape(path); err == nil {
		path = unescaped
	}
	if strings.ContainsRune(uri, 0) {
		return Database{}, errors.New("config: SQLite file URI holds a NUL byte")
	}
	d := Database{Driver: "sqlite", Dialect: sqlstore.SQLite, shown: printable(uri)}
	if path != ":memory:" && !strings.Contains(query, "mode=memory") {
		d.Path = path
	}
	if path == "" {
		return Database{}, errors.New("config: SQLite file URI without a path")
	}
	switch {
	case strings.Contains(query, "_pragma="):
		d.DataSource = uri
	case query == "":
		d.DataSource = uri + "?" + sqlitePragmas
	default:
		d.DataSource = uri + "&" + sqlitePragmas
	}
	return d, nil
}

// printable returns a file path or URI as is when it is one line of
// printable UTF-8 (it is the operator's own setting, shown so that they can
// see which file is meant), and quoted otherwise.
func printable(s string) string {
	if !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// describeURL shows a URL without its password.
func describeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		scheme, _, _ := strings.Cut(s, "://")
		return oauthreg.SanitizeInput(scheme) + "://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery = ""
	return oauthreg.SanitizeInput(u.String())
}
