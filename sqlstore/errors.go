package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"reflect"
	"syscall"
	"time"

	"github.com/oauthreg/oauthreg"
)

// ErrRetriesExhausted is returned (wrapped, together with the driver's last
// error) when the database kept reporting a transient failure until the
// Store's attempts ran out (see WithMaxAttempts): a serialization failure or
// deadlock (PostgreSQL SQLSTATE 40001, 40P01 or 55P03; MySQL and MariaDB
// errors 1213, 1205 or 1020) or a busy or locked database (SQLite
// SQLITE_BUSY, SQLITE_LOCKED).
//
// Nothing was changed by the failed call. It is not an
// oauthreg.ErrConflict: the client's version did not move, the database was
// only too contended (or, on SQLite, a writer held the lock longer than
// busy_timeout). Retrying later, or raising busy_timeout or the number of
// attempts, is the remedy.
//
// It also matches oauthreg.ErrUnavailable, so code that does not import
// sqlstore can recognise it:
//
//	if errors.Is(err, oauthreg.ErrUnavailable) { /* 503, retry later */ }
var ErrRetriesExhausted = errors.New("sqlstore: database busy: transient failure persisted after retries")

// errClass is what the Store makes of a driver error.
type errClass int

const (
	classOther     errClass = iota
	classUnique             // a unique or primary key violation
	classTransient          // worth running the transaction again
	// classColumnExists: ALTER TABLE ADD COLUMN of a column that exists,
	// which a MySQL migration interrupted after its DDL meets when run
	// again (MySQL has no ADD COLUMN IF NOT EXISTS).
	classColumnExists
	// classUnavailable: the connection was lost, or the server is
	// shutting down or not accepting connections. A transaction it
	// interrupted before COMMIT was rolled back and may run again; a
	// write sent on its own, or a COMMIT, may or may not have been
	// applied (see outcomeUnknownError).
	classUnavailable
)

// classify inspects the driver error in err by its error code, never by its
// message, without importing any driver:
//
//   - pgx (*pgconn.PgError) and lib/pq (*pq.Error) have SQLState() string;
//   - modernc.org/sqlite (*sqlite.Error) has Code() int, the extended result
//     code;
//   - go-sql-driver/mysql (*mysql.MySQLError) has a Number field;
//   - mattn/go-sqlite3 (sqlite3.Error) has an ExtendedCode field, and
//     ncruces/go-sqlite3 (*sqlite3.Error) an ExtendedCode method.
func classify(err error) errClass {
	class := classOther
	walk(err, func(e error) bool {
		class = classifyOne(e)
		return class != classOther
	})
	return class
}

// walk calls f on err and every error it wraps, depth first, until f
// returns true.
func walk(err error, f func(error) bool) bool {
	for err != nil {
		if f(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, f) {
					return true
				}
			}
			return false
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return false
		}
	}
	return false
}

func classifyOne(e error) errClass {
	if connectionLost(e) {
		return classUnavailable
	}
	if se, ok := e.(interface{ SQLState() string }); ok {
		return classifySQLState(se.SQLState())
	}
	if ce, ok := e.(interface{ Code() int }); ok {
		return classifySQLite(ce.Code())
	}
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return classOther
		}
		// ncruces/go-sqlite3: ExtendedCode() ExtendedErrorCode.
		if m := v.MethodByName("ExtendedCode"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
			if n, ok := intValue(m.Call(nil)[0]); ok {
				return classifySQLite(int(n))
			}
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return classOther
	}
	// go-sql-driver/mysql: MySQLError{Number uint16, SQLState [5]byte, ...}.
	if num := v.FieldByName("Number"); num.IsValid() && num.Kind() == reflect.Uint16 && v.FieldByName("SQLState").IsValid() {
		return classifyMySQL(num.Uint())
	}
	// mattn/go-sqlite3: Error{Code ErrNo, ExtendedCode ErrNoExtended, ...}.
	if ext := v.FieldByName("ExtendedCode"); ext.IsValid() {
		if n, ok := intValue(ext); ok {
			return classifySQLite(int(n))
		}
	}
	return classOther
}

// mysqlErrorNumber returns the error number of a go-sql-driver/mysql error
// in err's chain.
func mysqlErrorNumber(err error) (uint64, bool) {
	var n uint64
	found := walk(err, func(e error) bool {
		v := reflect.ValueOf(e)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return false
		}
		if num := v.FieldByName("Number"); num.IsValid() && num.Kind() == reflect.Uint16 && v.FieldByName("SQLState").IsValid() {
			n = num.Uint()
			return true
		}
		return false
	})
	return n, found
}

func intValue(v reflect.Value) (int64, bool) {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(v.Uint()), true
	}
	return 0, false
}

func classifySQLState(state string) errClass {
	switch state {
	case "23505": // unique_violation
		return classUnique
	case "40001", // serialization_failure
		"40P01", // deadlock_detected
		"55P03": // lock_not_available (lock_timeout)
		return classTransient
	case "57P01", // admin_shutdown (pg_terminate_backend, a fast shutdown)
		"57P02", // crash_shutdown
		"57P03", // cannot_connect_now (starting up, shutting down)
		"08000", // connection_exception
		"08003", // connection_does_not_exist
		"08006", // connection_failure
		"08001", // sqlclient_unable_to_establish_sqlconnection
		"08004": // sqlserver_rejected_establishment_of_sqlconnection
		return classUnavailable
	}
	return classOther
}

// connectionLost reports whether e, one error of a chain, is the loss of a
// connection that carries no database error code: database/sql's
// driver.ErrBadConn, an end of stream, a reset, broken or refused TCP
// connection, a closed network connection, or go-sql-driver/mysql's
// ErrInvalidConn.
func connectionLost(e error) bool {
	switch e {
	case driver.ErrBadConn, io.EOF, io.ErrUnexpectedEOF, net.ErrClosed:
		return true
	}
	if errno, ok := e.(syscall.Errno); ok {
		switch errno {
		case syscall.ECONNRESET, syscall.EPIPE, syscall.ECONNREFUSED, syscall.ECONNABORTED:
			return true
		}
	}
	// go-sql-driver/mysql reports a connection that died under a query as
	// its ErrInvalidConn, errors.New("invalid connection"): no code, no
	// type of its own. It is recognised by being exactly that leaf error
	// (never a substring of a longer message), without importing the
	// driver.
	if v := reflect.ValueOf(e); v.Type().String() == "*errors.errorString" && !v.IsNil() {
		return e.Error() == "invalid connection"
	}
	return false
}

// SQLite result codes (https://sqlite.org/rescode.html).
const (
	sqliteBusy             = 5
	sqliteLocked           = 6
	sqliteConstraint       = 19
	sqliteConstraintPK     = sqliteConstraint | 6<<8  // SQLITE_CONSTRAINT_PRIMARYKEY
	sqliteConstraintUnique = sqliteConstraint | 8<<8  // SQLITE_CONSTRAINT_UNIQUE
	sqliteConstraintRowID  = sqliteConstraint | 10<<8 // SQLITE_CONSTRAINT_ROWID
)

func classifySQLite(code int) errClass {
	switch code {
	case sqliteConstraintPK, sqliteConstraintUnique, sqliteConstraintRowID:
		return classUnique
	}
	switch code & 0xff {
	case sqliteBusy, sqliteLocked:
		return classTransient
	}
	return classOther
}

// MySQL and MariaDB error numbers.
const (
	mysqlDupEntry           = 1062 // ER_DUP_ENTRY
	mysqlDupEntryWithKey    = 1586 // ER_DUP_ENTRY_WITH_KEY_NAME
	mysqlLockWaitTimeout    = 1205 // ER_LOCK_WAIT_TIMEOUT
	mysqlLockDeadlock       = 1213 // ER_LOCK_DEADLOCK
	mysqlCheckreadConflicts = 1020 // ER_CHECKREAD: MariaDB's innodb_snapshot_isolation
	mysqlDupFieldName       = 1060 // ER_DUP_FIELDNAME
	mysqlDupKeyName         = 1061 // ER_DUP_KEYNAME: an index of that name exists

	mysqlServerShutdown = 1053 // ER_SERVER_SHUTDOWN
	mysqlServerGone     = 2006 // CR_SERVER_GONE_ERROR
	mysqlServerLost     = 2013 // CR_SERVER_LOST
	mysqlConnKilled     = 1927 // MariaDB's ER_CONNECTION_KILLED
	mysqlClientTimedOut = 4031 // MySQL's ER_CLIENT_INTERACTION_TIMEOUT
	mysqlConnCountError = 1040 // ER_CON_COUNT_ERROR: too many connections
)

func classifyMySQL(n uint64) errClass {
	switch n {
	case mysqlDupEntry, mysqlDupEntryWithKey:
		return classUnique
	case mysqlLockDeadlock, mysqlLockWaitTimeout, mysqlCheckreadConflicts:
		return classTransient
	case mysqlDupFieldName:
		return classColumnExists
	case mysqlServerShutdown, mysqlServerGone, mysqlServerLost, mysqlConnKilled, mysqlClientTimedOut, mysqlConnCountError:
		return classUnavailable
	}
	return classOther
}

// DefaultMaxAttempts is how many times a call runs its transaction on
// transient failures unless WithMaxAttempts says otherwise.
const DefaultMaxAttempts = 5

// The backoff between attempts grows from retryBaseDelay to retryMaxDelay.
const (
	retryBaseDelay = 2 * time.Millisecond
	retryMaxDelay  = 250 * time.Millisecond
)

// retry runs op until it succeeds, fails with an error that is neither
// transient nor a lost connection, or has run s.maxAttempts times. Between
// attempts it sleeps a random time below an exponentially growing bound
// (full jitter), so that contending writers spread out. op must be safe to
// run again after such a failure: it is a read, a whole transaction (a
// transaction interrupted before its COMMIT was rolled back by the server),
// or an idempotent write. A write whose outcome is unknown (marked by
// sent) is not run again here: it is returned to the caller, which settles
// it (see writeOnce).
func (s *Store) retry(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil {
			return nil
		}
		class := classify(err)
		if class != classTransient && class != classUnavailable {
			return err
		}
		var unknown *outcomeUnknownError
		if errors.As(err, &unknown) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (after transient error: %w)", ctx.Err(), err)
		}
		if attempt >= s.maxAttempts {
			if class == classUnavailable {
				return fmt.Errorf("sqlstore: database unavailable, nothing was changed (%d attempts, %w): %w", attempt, oauthreg.ErrUnavailable, err)
			}
			return fmt.Errorf("%w (%d attempts, %w): %w", ErrRetriesExhausted, attempt, oauthreg.ErrUnavailable, err)
		}
		bound := min(retryMaxDelay, retryBaseDelay<<(attempt-1))
		t := time.NewTimer(rand.N(bound) + time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (after transient error: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}
