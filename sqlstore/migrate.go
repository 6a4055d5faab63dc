package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The schema, one directory per dialect, one file per version. The files are
// plain SQL that other migration tools can run (see Migrations); each
// directory's atlas.sum is generated from them (internal/migrationcheck
// checks that it is in step):
//
//go:generate go run github.com/oauthreg/oauthreg/internal/migrationcheck/atlassum migrations
//go:embed migrations
var migrationFiles embed.FS

// Migrations returns the embedded migration files of a dialect, for users who
// run migrations with their own tool: files named NNNN_name.sql, applied in
// order of their number, and the directory's atlas.sum. The files are goose
// migrations as they are (an "-- +goose Up" annotation, statements ending
// with a semicolon at the end of a line, "-- +goose StatementBegin/End"
// around a statement that holds semicolons), and the directory an atlas
// versioned-migration directory. Table and index names in them use
// DefaultTablePrefix; replace "oauthreg_" when you use another prefix (and
// regenerate atlas.sum). The same files are in the module's source tree under
// sqlstore/migrations. To let Migrate and goose both run on one database,
// see WithGooseTable.
func Migrations(d Dialect) (fs.FS, error) {
	if !d.valid() {
		return nil, fmt.Errorf("sqlstore: unknown dialect %v", d)
	}
	return fs.Sub(migrationFiles, "migrations/"+d.String())
}

type migration struct {
	version int64
	name    string
	stmts   []string
}

// loadMigrations returns the migrations of the dialect in version order, with
// the default prefix replaced by prefix.
func loadMigrations(d Dialect, prefix string) ([]migration, error) {
	dir := "migrations/" + d.String()
	entries, err := migrationFiles.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration file %s: name is not NNNN_name.sql", name)
		}
		b, err := migrationFiles.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		text := strings.ReplaceAll(string(b), DefaultTablePrefix, prefix)
		stmts, err := splitStatements(text)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration file %s/%s: %w", d, name, err)
		}
		out = append(out, migration{version: v, name: rest, stmts: stmts})
	}
	slices.SortFunc(out, func(a, b migration) int { return int(a.version - b.version) })
	return out, nil
}

// splitStatements splits a migration file into the statements of its Up
// part, the way goose reads it:
//
//   - lines that are only a comment are dropped, and a statement ends with a
//     line that ends with ";";
//   - "-- +goose Up" starts the part that is applied; "-- +goose Down"
//     ends it (Migrate never migrates down);
//   - the lines between "-- +goose StatementBegin" and
//     "-- +goose StatementEnd" are one statement, however many semicolons
//     it holds (a trigger or function body).
//
// Other goose annotations (NO TRANSACTION, ENVSUB) are not supported: a file
// that has one is an error, as is an unterminated StatementBegin, a
// statement outside the Up part, or a file without "-- +goose Up".
func splitStatements(text string) ([]string, error) {
	var out []string
	var cur strings.Builder
	up, inBlock := false, false
	for line := range strings.Lines(text) {
		trimmed := strings.TrimSpace(line)
		if ann, ok := gooseAnnotation(trimmed); ok {
			switch {
			case ann == "Up" && !up && !inBlock && strings.TrimSpace(cur.String()) == "":
				up = true
			case ann == "Down" && up && !inBlock:
				if s := strings.TrimSpace(cur.String()); s != "" {
					return nil, fmt.Errorf("statement without a final semicolon before -- +goose Down: %.60q", s)
				}
				return out, nil
			case ann == "StatementBegin" && up && !inBlock && strings.TrimSpace(cur.String()) == "":
				inBlock = true
			case ann == "StatementEnd" && inBlock:
				inBlock = false
				if s := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"); s != "" {
					out = append(out, s)
				}
				cur.Reset()
			default:
				return nil, fmt.Errorf("unexpected or unsupported annotation %q", trimmed)
			}
			continue
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			if inBlock {
				cur.WriteString(line)
			}
			continue
		}
		if !up {
			return nil, fmt.Errorf("statement before -- +goose Up (put the line \"-- +goose Up\" before the first statement, then run `go generate ./sqlstore`): %.60q", trimmed)
		}
		cur.WriteString(line)
		if !inBlock && strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	switch {
	case !up:
		return nil, errors.New("no -- +goose Up annotation: put the line \"-- +goose Up\" before the first statement (goose needs it), then run `go generate ./sqlstore` to update atlas.sum")
	case inBlock:
		return nil, errors.New("-- +goose StatementBegin without StatementEnd")
	case strings.TrimSpace(cur.String()) != "":
		return nil, fmt.Errorf("statement without a final semicolon: %.60q", strings.TrimSpace(cur.String()))
	}
	return out, nil
}

// gooseAnnotation reports whether line is a goose annotation ("-- +goose
// X"), and returns X.
func gooseAnnotation(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "--")
	if !ok {
		return "", false
	}
	rest, ok = strings.CutPrefix(strings.TrimSpace(rest), "+goose ")
	if !ok {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// Migrate creates the Store's tables, or upgrades them to the schema of this
// version of the package. Applied versions are recorded in the table
// <prefix>schema_migrations (version, name, applied_at), so Migrate is
// idempotent and cheap to call at every start. Versions recorded there that
// this package does not know (a newer release migrated the database) are
// left alone. With WithGooseTable, goose's version table is read and written
// too, so that goose and Migrate agree on what has been applied.
//
// Several processes may call Migrate at once: the first applies the
// migrations while the others wait, then find nothing to do. PostgreSQL
// serializes them with a transaction-scoped advisory lock and applies all
// pending migrations in one transaction; MySQL with GET_LOCK (DDL cannot be
// rolled back in MySQL, so every statement is idempotent and a failed run can
// simply be repeated); SQLite with a write transaction (BEGIN IMMEDIATE).
//
// On MySQL and MariaDB, Migrate refuses (with an error wrapping
// oauthreg.ErrInvalidConfig) a session whose sql_mode is not strict
// (neither STRICT_TRANS_TABLES nor STRICT_ALL_TABLES): in that mode the
// server cuts a value too long for its column instead of refusing it.
func (s *Store) Migrate(ctx context.Context) error {
	return s.migrateUpTo(ctx, math.MaxInt64)
}

// migrateUpTo is Migrate, applying the migrations up to version last only
// (upgrade tests fill a database at an earlier version).
func (s *Store) migrateUpTo(ctx context.Context, last int64) error {
	migs, err := loadMigrations(s.dialect, s.prefix)
	if err != nil {
		return err
	}
	migs = slices.DeleteFunc(migs, func(m migration) bool { return m.version > last })
	err = s.retry(ctx, func() error {
		switch s.dialect {
		case Postgres:
			return s.migratePostgres(ctx, migs)
		case MySQL:
			return s.migrateMySQL(ctx, migs)
		default:
			return s.migrateSQLite(ctx, migs)
		}
	})
	if err != nil {
		return fmt.Errorf("sqlstore: migrating %s schema (prefix %q): %w", s.dialect, s.prefix, err)
	}
	return nil
}

func (s *Store) createMigrationsTable() string {
	text := "CREATE TABLE IF NOT EXISTS " + s.migrationsTable +
		" (version BIGINT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)"
	if s.dialect == MySQL {
		text += " ENGINE = InnoDB"
	}
	return text
}

// execer is what *sql.Tx and *sql.Conn have in common.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// applyPending reads the applied versions and applies the others, recording
// each one after its statements.
func (s *Store) applyPending(ctx context.Context, x execer, migs []migration) error {
	if _, err := x.ExecContext(ctx, s.createMigrationsTable()); err != nil {
		return err
	}
	rows, err := x.QueryContext(ctx, "SELECT version FROM "+s.migrationsTable)
	if err != nil {
		return err
	}
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	insert := "INSERT INTO " + s.migrationsTable + " (version, name, applied_at) VALUES (?, ?, ?)"
	if s.dialect == Postgres {
		insert = rebind(insert)
	}
	record := func(m migration) error {
		if _, err := x.ExecContext(ctx, insert, m.version, m.name, migrationTime()); err != nil {
			return fmt.Errorf("recording migration %04d_%s: %w", m.version, m.name, err)
		}
		return nil
	}
	if s.gooseTable != "" {
		if _, err := s.syncGoose(ctx, x, migs, applied, record); err != nil {
			return err
		}
	}
	for _, m := range migs {
		if applied[m.version] {
			continue
		}
		for _, stmt := range m.stmts {
			if _, err := x.ExecContext(ctx, stmt); err != nil && !s.alreadyDone(err) {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
		}
		if err := record(m); err != nil {
			return err
		}
		if s.gooseTable != "" {
			if err := s.recordGoose(ctx, x, m.version); err != nil {
				return err
			}
		}
	}
	return nil
}

// alreadyDone reports whether a migration statement failed only because a
// failed earlier run did it already. MySQL cannot roll DDL back, nor say
// ADD COLUMN IF NOT EXISTS or CREATE INDEX IF NOT EXISTS: a column that is
// there (ER_DUP_FIELDNAME, 1060) or an index of that name
// (ER_DUP_KEYNAME, 1061) means the statement is done.
func (s *Store) alreadyDone(err error) bool {
	if s.dialect != MySQL {
		return false
	}
	if classify(err) == classColumnExists {
		return true
	}
	n, ok := mysqlErrorNumber(err)
	return ok && n == mysqlDupKeyName
}

func (s *Store) migratePostgres(ctx context.Context, migs []migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The lock is per database; the key names the schema and the prefix,
	// so that stores in different schemas do not wait for each other.
	if _, err := tx.ExecContext(ctx,
		"SELECT pg_advisory_xact_lock(hashtextextended('oauthreg.migrate:' || COALESCE(current_schema(), '') || ':' || $1, 0))",
		s.prefix); err != nil {
		return err
	}
	if err := s.applyPending(ctx, tx, migs); err != nil {
		return err
	}
	return tx.Commit()
}

// mysqlLockTimeout bounds how long Migrate waits for another process's
// migration on MySQL.
const mysqlLockTimeout = 5 * time.Minute

func (s *Store) migrateMySQL(ctx context.Context, migs []migration) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := requireStrictMySQL(ctx, conn); err != nil {
		return err
	}
	// GET_LOCK is server-wide: the name covers the database and the prefix
	// (hashed, since names are limited to 64 characters).
	const name = "MD5(CONCAT('oauthreg.migrate:', COALESCE(DATABASE(), ''), ':', ?))"
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", ?)", s.prefix,
		int(mysqlLockTimeout/time.Second)).Scan(&got); err != nil {
		return err
	}
	if !got.Valid || got.Int64 != 1 {
		return fmt.Errorf("timed out after %v waiting for another process's migration (GET_LOCK)", mysqlLockTimeout)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		var released sql.NullInt64
		if rerr := conn.QueryRowContext(rctx, "SELECT RELEASE_LOCK("+name+")", s.prefix).Scan(&released); rerr != nil {
			// Closing the session releases the lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return s.applyPending(ctx, conn, migs)
}

func (s *Store) migrateSQLite(ctx context.Context, migs []migration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// database/sql cannot ask for BEGIN IMMEDIATE, which takes the write
	// lock at once (waiting up to busy_timeout), so that a second process
	// waits here instead of failing later when its read turns into a write.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if err := s.applyPending(ctx, conn, migs); err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, rerr := conn.ExecContext(rctx, "ROLLBACK"); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			return errors.Join(err, rerr)
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, rerr := conn.ExecContext(rctx, "ROLLBACK"); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		return err
	}
	return nil
}
