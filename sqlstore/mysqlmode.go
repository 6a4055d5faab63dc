package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// requireStrictMySQL refuses a MySQL or MariaDB session that is not in
// strict SQL mode. Without STRICT_TRANS_TABLES or STRICT_ALL_TABLES the
// server does not refuse a value too long for its column: it cuts it and
// warns, and a client whose JSON was cut can never be read again. Every
// column is sized for oauthreg's limits (migration 0003_limits), so truncation
// should not happen anyway; strict mode turns any that would into an error
// instead of silent damage.
//
// The check runs on the session Migrate uses. sql_mode comes from the
// server's global setting (strict by default since MySQL 5.7 and MariaDB
// 10.2.4) or from the DSN, which applies to every connection of the pool
// alike, so one session speaks for all of them. sqlstore does not change
// sql_mode itself: database/sql gives it no hook to run on each new
// connection, and a session-only change would leave the others as they are.
func requireStrictMySQL(ctx context.Context, conn *sql.Conn) error {
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return fmt.Errorf("reading sql_mode: %w", err)
	}
	if strictMySQLMode(mode) {
		return nil
	}
	return fmt.Errorf("%w: the MySQL session's sql_mode %q has neither STRICT_TRANS_TABLES nor STRICT_ALL_TABLES, "+
		"so the server would silently cut values too long for a column; enable strict mode in the server's "+
		"configuration or in the DSN (go-sql-driver/mysql: ?sql_mode=%%27STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION%%27)",
		oauthreg.ErrInvalidConfig, mode)
}

// strictMySQLMode reports whether an sql_mode value (comma-separated,
// upper case) turns on strict mode for InnoDB tables.
func strictMySQLMode(mode string) bool {
	for m := range strings.SplitSeq(strings.ToUpper(mode), ",") {
		if m = strings.TrimSpace(m); m == "STRICT_TRANS_TABLES" || m == "STRICT_ALL_TABLES" {
			return true
		}
	}
	return false
}
