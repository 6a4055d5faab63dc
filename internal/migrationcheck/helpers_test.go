package migrationcheck

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/pressly/goose/v3"
)

// gooseTable is the version table the tests give goose, as README advises
// (a table of its own for oauthreg's migrations).
const gooseTable = "oauthreg_goose_db_version"

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// gooseDialect is goose's name for the engine.
func gooseDialect(d sqlstore.Dialect) goose.Dialect {
	switch d {
	case sqlstore.Postgres:
		return goose.DialectPostgres
	case sqlstore.MySQL:
		return goose.DialectMySQL
	default:
		return goose.DialectSQLite3
	}
}

// migrationFiles returns the embedded migration files of d, as a user
// hands them to goose, and their versions in order.
func migrationFiles(t *testing.T, d sqlstore.Dialect) (fs.FS, []int64) {
	t.Helper()
	fsys, err := sqlstore.Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migration files for %v: %v", d, err)
	}
	var versions []int64
	for _, n := range names {
		var v int64
		if _, err := fmt.Sscanf(n, "%d_", &v); err != nil {
			t.Fatalf("migration file %s: %v", n, err)
		}
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return fsys, versions
}

// diskDir is the source directory of d's migrations.
func diskDir(d sqlstore.Dialect) string {
	return filepath.Join("..", "..", "sqlstore", "migrations", d.String())
}

// newGoose returns a goose provider over d's migrations with the test's
// version table.
func newGoose(t *testing.T, d sqlstore.Dialect, db *sql.DB) *goose.Provider {
	t.Helper()
	fsys, _ := migrationFiles(t, d)
	p, err := goose.NewProvider(gooseDialect(d), db, fsys,
		goose.WithTableName(gooseTable), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatalf("goose.NewProvider: %v", err)
	}
	return p
}

// recordingDB opens a fresh database of e whose statements inj records.
func recordingDB(t *testing.T, e testdb.Engine) (*sql.DB, *faultdriver.Injector) {
	t.Helper()
	inj := faultdriver.NewInjector()
	db := sql.OpenDB(faultdriver.Wrap(e.Connector(t), inj))
	t.Cleanup(func() { db.Close() })
	return db, inj
}

var spaces = regexp.MustCompile(`\s+`)

// normalize makes statements comparable across tools: comment lines and
// surrounding space dropped, a final ";" dropped, runs of white space one
// space.
func normalize(stmt string) string {
	var b strings.Builder
	for line := range strings.Lines(stmt) {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		b.WriteString(line)
	}
	s := strings.TrimSpace(b.String())
	s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	return spaces.ReplaceAllString(s, " ")
}

// schemaStatements keeps the statements of a migration run that change the
// schema or data of oauthreg's tables: not a tool's bookkeeping (version
// tables, locks, catalogue queries, transaction control).
func schemaStatements(stmts []string) []string {
	var out []string
	for _, s := range stmts {
		n := normalize(s)
		upper := strings.ToUpper(n)
		if strings.Contains(n, "goose_db_version") || strings.Contains(n, "schema_migrations") {
			continue
		}
		if !slices.ContainsFunc([]string{"CREATE ", "ALTER ", "DROP ", "INSERT ", "UPDATE ", "DELETE ", "RENAME "},
			func(p string) bool { return strings.HasPrefix(upper, p) }) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// schema describes the tables, columns, indexes and constraints of
// oauthreg's tables in db (not the version tables), for comparing two
// databases migrated by different tools.
func schema(t *testing.T, d sqlstore.Dialect, db *sql.DB) []string {
	t.Helper()
	var queries []string
	switch d {
	case sqlstore.Postgres:
		queries = []string{
			`SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || COALESCE(column_default, '') || ' collate=' || COALESCE(collation_name, '')
			   FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
			`SELECT indexname || ': ' || replace(indexdef, current_schema() || '.', '') FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
			`SELECT conrelid::regclass::text || ' ' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
			   WHERE connamespace = current_schema()::regnamespace ORDER BY conname`,
		}
	case sqlstore.MySQL:
		queries = []string{
			`SELECT CONCAT(table_name, '.', column_name, ' ', column_type, ' null=', is_nullable, ' default=', COALESCE(column_default, ''), ' collate=', COALESCE(collation_name, ''), ' ', extra)
			   FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position`,
			`SELECT CONCAT(table_name, ' ', index_name, ' ', seq_in_index, ' ', column_name, ' unique=', 1 - non_unique, ' ', COALESCE(sub_part, ''))
			   FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index`,
			`SELECT CONCAT(table_name, ' ', constraint_name, ' -> ', referenced_table_name, ' ', delete_rule, ' ', update_rule)
			   FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() ORDER BY constraint_name`,
			`SELECT CONCAT(table_name, ' ', engine, ' ', table_collation) FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`,
		}
	default:
		queries = []string{
			`SELECT type || ' ' || name || ' ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_master
			   WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
		}
	}
	var out []string
	for _, q := range queries {
		rows, err := db.QueryContext(ctx(t), q)
		if err != nil {
			t.Fatalf("reading the schema: %v", err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(line, "goose_db_version") || strings.Contains(line, "schema_migrations") {
				continue
			}
			out = append(out, normalize(line))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// appliedByMigrate returns the versions recorded in Migrate's own table.
func appliedByMigrate(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	return versions(t, db, "SELECT version FROM "+sqlstore.DefaultTablePrefix+"schema_migrations ORDER BY version")
}

// appliedByGoose returns the versions (above 0) goose's table records as
// applied.
func appliedByGoose(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	return versions(t, db, "SELECT DISTINCT version_id FROM "+gooseTable+" WHERE version_id > 0 AND is_applied = true ORDER BY version_id")
}

func versions(t *testing.T, db *sql.DB, q string) []int64 {
	t.Helper()
	rows, err := db.QueryContext(ctx(t), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// migrateWithStore runs sqlstore's Migrate on db.
func migrateWithStore(t *testing.T, d sqlstore.Dialect, db *sql.DB, opts ...sqlstore.Option) {
	t.Helper()
	st, err := sqlstore.New(db, d, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx(t)); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
}
