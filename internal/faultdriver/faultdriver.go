// Package faultdriver wraps a database/sql driver so that a test can make one
// chosen step of a database conversation fail: the k-th BEGIN, statement or
// COMMIT after the injector is armed. Tests of atomicity use it to check that
// an operation interrupted at any step leaves the database as it was.
//
// The steps are counted across all connections of the wrapped database:
//
//   - BEGIN (BeginTx),
//   - every execution of a statement (Exec or Query, prepared or not),
//   - COMMIT.
//
// Preparing a statement and ROLLBACK are passed through and not counted, so
// that the count does not depend on which statements a pool has already
// prepared, and so that a failed operation can always clean up.
//
// The wrapped connections do not implement driver.ExecerContext or
// driver.QueryerContext: database/sql therefore prepares every statement
// through the wrapper, which sees all of them.
//
// Typical use:
//
//	inj := faultdriver.NewInjector()
//	db := sql.OpenDB(faultdriver.Wrap(connector, inj))
//	inj.Arm(0, faultdriver.Before) // count only
//	op()
//	n := inj.Count()
//	for k := 1; k <= n; k++ {
//		inj.Arm(k, faultdriver.Before)
//		op() // fails at step k
//		inj.Disarm()
//		// check that nothing changed
//	}
package faultdriver

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrInjected is the error a step fails with unless Injector.Err is set.
var ErrInjected = errors.New("faultdriver: injected fault")

// Mode says whether a failing step reaches the database.
type Mode int

const (
	// Before fails the step without running it.
	Before Mode = iota
	// After runs the step, then reports the failure, as when a connection
	// breaks before the answer arrives. A failing BEGIN is rolled back
	// after it ran. A COMMIT, and a statement outside a transaction (which
	// commits by itself), always fail Before: a commit that happened but
	// was reported as failed cannot be told apart from a success (Lost
	// makes that happen).
	After
	// Lost runs the step and lets what it did commit (a COMMIT commits, a
	// statement outside a transaction commits by itself), then reports
	// the failure: the answer was lost with the connection. Inside a
	// transaction a statement fails as with After. Tests of what a store
	// does when a write's outcome is unknown use it.
	Lost
)

// String returns "before" or "after".
func (m Mode) String() string {
	switch m {
	case After:
		return "after"
	case Lost:
		return "lost"
	}
	return "before"
}

// Injector decides which step fails. Its methods are safe for concurrent use.
type Injector struct {
	mu     sync.Mutex
	count  int
	failAt int
	mode   Mode
	err    error
	fired  bool
	always bool
	steps  []string
	stmts  []string // full SQL of the statement steps, for Statements
}

// NewInjector returns a disarmed Injector.
func NewInjector() *Injector { return &Injector{} }

// Arm resets the step count and makes step k (1-based) fail in the given
// mode with ErrInjected. k = 0 only counts.
func (in *Injector) Arm(k int, mode Mode) { in.ArmErr(k, mode, nil) }

// ArmErr is Arm with the error to fail with (nil for ErrInjected), for
// instance one that the code under test treats as transient.
func (in *Injector) ArmErr(k int, mode Mode, err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.count, in.failAt, in.mode, in.err, in.fired, in.always, in.steps = 0, k, mode, err, false, false, nil
	in.stmts = nil
}

// FailAll resets the step count and makes every step from now on fail
// Before it runs, with err (nil for ErrInjected), until Disarm.
func (in *Injector) FailAll(err error) {
	in.ArmErr(1, Before, err)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.always = true
}

// Disarm stops failing and counting; Count and Steps keep their values.
func (in *Injector) Disarm() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.failAt, in.always = -1, false
}

// Count returns how many steps ran since Arm.
func (in *Injector) Count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.count
}

// Fired reports whether a step failed since Arm.
func (in *Injector) Fired() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.fired
}

// Steps describes the steps since Arm, for test messages.
func (in *Injector) Steps() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.steps...)
}

// Statements returns the full SQL text of every statement step (Exec or
// Query) since Arm, in order; BEGIN and COMMIT are not included. Tests that
// count particular statements (say, the writes of an operation) use it
// where the short descriptions of Steps are ambiguous.
func (in *Injector) Statements() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.stmts...)
}

// step records a step and returns the error it must fail with, if any.
// query is the statement's SQL text, empty for BEGIN and COMMIT.
func (in *Injector) step(what, query string) (Mode, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.failAt < 0 {
		return Before, nil
	}
	in.count++
	in.steps = append(in.steps, what)
	if query != "" {
		in.stmts = append(in.stmts, query)
	}
	if in.count != in.failAt && !in.always {
		return Before, nil
	}
	in.fired = true
	err := in.err
	if err == nil {
		err = ErrInjected
	}
	return in.mode, fmt.Errorf("%w (step %d, %s %s)", err, in.count, in.mode, what)
}

// Wrap returns a connector whose connections run through inj.
func Wrap(c driver.Connector, inj *Injector) driver.Connector {
	return &connector{c: c, inj: inj}
}

// DSNConnector returns a connector that opens dsn with d, for drivers that
// do not offer one themselves (such as modernc.org/sqlite); pass it to Wrap.
// Obtain d from an *sql.DB opened with the driver: db.Driver().
func DSNConnector(d driver.Driver, dsn string) (driver.Connector, error) {
	if dc, ok := d.(driver.DriverContext); ok {
		return dc.OpenConnector(dsn)
	}
	return dsnConnector{d: d, dsn: dsn}, nil
}

type dsnConnector struct {
	d   driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

type connector struct {
	c   driver.Connector
	inj *Injector
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{c: dc, inj: c.inj}, nil
}

func (c *connector) Driver() driver.Driver { return wrappedDriver{c} }

type wrappedDriver struct{ c *connector }

func (d wrappedDriver) Open(string) (driver.Conn, error) {
	return nil, errors.New("faultdriver: open the database with sql.OpenDB(faultdriver.Wrap(...))")
}

type conn struct {
	c    driver.Conn
	inj  *Injector
	inTx bool // database/sql uses a connection from one goroutine at a time
}

var (
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if pc, ok := c.c.(driver.ConnPrepareContext); ok {
		st, err = pc.PrepareContext(ctx, query)
	} else {
		st, err = c.c.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &stmt{s: st, query: query, inj: c.inj, c: c}, nil
}

func (c *conn) Close() error { return c.c.Close() }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	mode, ferr := c.inj.step("BEGIN", "")
	if ferr != nil && mode == Before {
		return nil, ferr
	}
	var tx driver.Tx
	var err error
	if bc, ok := c.c.(driver.ConnBeginTx); ok {
		tx, err = bc.BeginTx(ctx, opts)
	} else {
		tx, err = c.c.Begin() //nolint:staticcheck // the fallback database/sql uses too
	}
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		_ = tx.Rollback()
		return nil, ferr
	}
	c.inTx = true
	return &txn{t: tx, inj: c.inj, c: c}, nil
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.c.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type txn struct {
	t   driver.Tx
	inj *Injector
	c   *conn
}

func (t *txn) Commit() error {
	t.c.inTx = false
	mode, ferr := t.inj.step("COMMIT", "")
	if ferr != nil && mode == Lost {
		if err := t.t.Commit(); err != nil {
			return err
		}
		return ferr
	}
	if ferr != nil {
		_ = t.t.Rollback()
		return ferr
	}
	return t.t.Commit()
}

func (t *txn) Rollback() error {
	t.c.inTx = false
	return t.t.Rollback()
}

type stmt struct {
	s     driver.Stmt
	query string
	inj   *Injector
	c     *conn
}

// step is inj.step for a statement: outside a transaction After fails
// Before (Lost runs the statement, which commits by itself).
func (s *stmt) step() (Mode, error) {
	mode, ferr := s.inj.step(s.describe(), s.query)
	if !s.c.inTx && mode == After {
		mode = Before
	}
	return mode, ferr
}

var (
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

func (s *stmt) describe() string {
	q := s.query
	if i := strings.IndexAny(q, "(\n"); i > 0 && i < 60 {
		q = q[:i]
	} else if len(q) > 60 {
		q = q[:60]
	}
	return strings.TrimSpace(q)
}

func (s *stmt) Close() error  { return s.s.Close() }
func (s *stmt) NumInput() int { return s.s.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

func values(args []driver.NamedValue) []driver.Value {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	mode, ferr := s.step()
	if ferr != nil && mode == Before {
		return nil, ferr
	}
	var res driver.Result
	var err error
	if ec, ok := s.s.(driver.StmtExecContext); ok {
		res, err = ec.ExecContext(ctx, args)
	} else {
		res, err = s.s.Exec(values(args)) //nolint:staticcheck // the fallback database/sql uses too
	}
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		return nil, ferr
	}
	return res, nil
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	mode, ferr := s.step()
	if ferr != nil && mode == Before {
		return nil, ferr
	}
	var rows driver.Rows
	var err error
	if qc, ok := s.s.(driver.StmtQueryContext); ok {
		rows, err = qc.QueryContext(ctx, args)
	} else {
		rows, err = s.s.Query(values(args)) //nolint:staticcheck // the fallback database/sql uses too
	}
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		_ = rows.Close()
		return nil, ferr
	}
	return rows, nil
}
