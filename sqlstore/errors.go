package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
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
	}
	return classOther
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
)

func classifyMySQL(n uint64) errClass {
	switch n {
	case mysqlDupEntry, mysqlDupEntryWithKey:
		return classUnique
	case mysqlLockDeadlock, mysqlLockWaitTimeout, mysqlCheckreadConflicts:
		return classTransient
	case mysqlDupFieldName:
		return classColumnExists
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

// retry runs op until it succeeds, fails with an error that is not
// transient, or has run s.maxAttempts times. Between attempts it sleeps a
// random time below an exponentially growing bound (full jitter), so that
// contending writers spread out. op must be safe to run again: every caller
// passes a whole transaction.
func (s *Store) retry(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || classify(err) != classTransient {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (after transient error: %w)", ctx.Err(), err)
		}
		if attempt >= s.maxAttempts {
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
