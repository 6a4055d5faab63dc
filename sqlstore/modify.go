package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/oauthreg/oauthreg"
)

var _ oauthreg.ClientModifier = (*Store)(nil)

// ModifyClient reads the client id, calls change on it and writes what
// change altered, atomically (oauthreg.ClientModifier).
//
// On SQLite and MySQL it is one transaction that never fails with
// oauthreg.ErrConflict:
//
//  1. one statement locks the client row and reads the client with its
//     secrets: on SQLite an UPDATE of the version RETURNING the client,
//     which as a write takes the database's write lock first (what BEGIN
//     IMMEDIATE gives: a concurrent writer waits, never fails at COMMIT);
//     on MySQL and MariaDB the client row joined with its secret rows,
//     SELECT ... FOR UPDATE;
//  2. change runs, with the transaction open and the client locked;
//  3. only what changed is written: one UPDATE of the client columns that
//     changed (on MySQL also the version; on SQLite none when only secrets
//     changed), the new and changed secret rows in one upsert, removed
//     secret and tag rows deleted, new tag rows inserted (see
//     writeChanges).
//
// A rotation is then BEGIN, three statements and COMMIT, where a Registry
// over UpdateClient sends a GetClient and four. If the database aborts the
// transaction (deadlock, busy database), it runs again and so does change.
//
// On PostgreSQL, where a transaction's BEGIN and COMMIT are two more round
// trips, it is GetClient, change and UpdateClient's single statement:
// optimistic, so it returns oauthreg.ErrConflict when another writer came
// between the two (nothing written; the Registry calls again).
//
// change's error is returned as is, and nothing is written; a panic in
// change rolls the transaction back before it goes on. An unknown client is
// an error matching oauthreg.ErrNotFound, and change is not called.
func (s *Store) ModifyClient(ctx context.Context, id string, change func(c *oauthreg.Client) error) (*oauthreg.Client, error) {
	if change == nil {
		return nil, errors.New("sqlstore: ModifyClient: nil change function")
	}
	if !storable(id) {
		return nil, oauthreg.ErrNotFound
	}
	if s.dialect == Postgres {
		return s.modifyOptimistic(ctx, id, change)
	}
	var written *oauthreg.Client // by the last attempt, at the version it read
	err := s.writeOnce(ctx, func(bool) error {
		return s.withTx(ctx, func(tx *sql.Tx) error {
			var err error
			written, err = s.modifyTx(ctx, tx, id, change)
			return err
		})
	}, func(lost error) (bool, error) {
		if written == nil {
			return false, outcomeUnknown("the transaction was lost before it wrote", lost)
		}
		return s.settleUpdate(ctx, written, lost)
	})
	var r *refusal
	switch {
	case errors.As(err, &r):
		return nil, r.err
	case errors.Is(err, oauthreg.ErrNotFound) || errors.Is(err, oauthreg.ErrConflict):
		return nil, err
	case err != nil:
		return nil, opError("modifying client", id, err)
	}
	written.Version++
	return written, nil
}

// refusal carries change's error out of the transaction, unchanged and
// unclassified: without Unwrap, retry never takes it for the database's
// transient error.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }

// modifyTx runs ModifyClient's transaction on SQLite and MySQL (see
// ModifyClient) in tx, and returns the client it wrote, at the version it
// read.
func (s *Store) modifyTx(ctx context.Context, tx *sql.Tx, id string, change func(*oauthreg.Client) error) (*oauthreg.Client, error) {
	st, err := s.inTx(ctx, tx, &s.modifyRead, s.q.modifyRead)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	ordinals := map[string]int64{}
	cs, err := s.scan(rows, 1, ordinals)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, notFound(id)
	}
	c := cs[0]
	if s.dialect == SQLite {
		c.Version-- // RETURNING gives the incremented version
	}
	before, err := clientArgs(c, 0)
	if err != nil {
		return nil, err
	}
	read := readStateOf(c, ordinals)

	finished := false
	defer func() {
		if !finished {
			_ = tx.Rollback() // change panicked: release the lock now
		}
	}()
	err = change(c)
	finished = true
	if err != nil {
		return nil, &refusal{err}
	}
	read.restore(c, id)
	if err := checkSecretIDs(c); err != nil {
		return nil, err
	}
	after, err := clientArgs(c, 0)
	if err != nil {
		return nil, err
	}
	if err := s.writeColumns(ctx, tx, before, after); err != nil {
		return nil, err
	}
	return c, s.writeChanges(ctx, tx, c, read.rows)
}

// readState is what ModifyClient read of a client besides the copy it
// hands to change: the stored rows to diff against, and what change may
// not alter.
type readState struct {
	rows     storedRows
	version  int64
	lastUsed time.Time
	// secretsUsed are the secrets' last-used times, by secret ID.
	secretsUsed map[string]time.Time
}

// readState records c as read, with its secrets' stored ordinals.
func readStateOf(c *oauthreg.Client, ordinals map[string]int64) readState {
	st := readState{
		rows:        storedRows{secrets: make(map[string]storedSecret, len(c.Secrets)), tags: map[tagRow]bool{}},
		version:     c.Version,
		lastUsed:    c.LastUsedAt,
		secretsUsed: make(map[string]time.Time, len(c.Secrets)),
	}
	for i := range c.Secrets {
		sec := &c.Secrets[i]
		st.rows.secrets[sec.ID] = storedSecret{ordinal: ordinals[sec.ID], cols: secretColsOf(sec)}
		st.secretsUsed[sec.ID] = sec.LastUsedAt
	}
	// The tag rows are kept in step with the tag columns on every write.
	for _, r := range tagRowsOf(c) {
		st.rows.tags[r] = true
	}
	return st
}

// restore puts back in c, after change, what UpdateClient keeps of the
// stored client whatever it is given: its ID, its version, and the
// last-used times (a new secret has none).
func (st readState) restore(c *oauthreg.Client, id string) {
	c.ID, c.Version, c.LastUsedAt = id, st.version, st.lastUsed
	for i := range c.Secrets {
		c.Secrets[i].LastUsedAt = st.secretsUsed[c.Secrets[i].ID]
	}
}

// writeColumns writes the client columns whose values differ between
// before and after (both clientArgs of the client): one UPDATE, prepared
// once per set of columns. On MySQL it also increments the version (on
// SQLite the first statement did), so it runs even when no column
// changed.
func (s *Store) writeColumns(ctx context.Context, tx *sql.Tx, before, after []any) error {
	var mask uint32
	args := make([]any, 0, numClientColumns)
	for i := 1; i < numClientColumns-2; i++ { // owner .. updated_at
		if before[i] != after[i] {
			mask |= 1 << i
			args = append(args, after[i])
		}
	}
	if mask == 0 && s.dialect == SQLite {
		return nil
	}
	args = append(args, after[0])
	query := s.columnsUpdateQuery(mask)
	if l := s.columnUpdates.get(mask); l != nil {
		st, err := s.inTx(ctx, tx, l, query)
		if err != nil {
			return err
		}
		return affected(st.ExecContext(ctx, args...))
	}
	return affected(tx.ExecContext(ctx, query, args...))
}

// columnsUpdateQuery returns the UPDATE of the client columns in mask (bit
// i: column i of clientColumns), and on MySQL of the version.
func (s *Store) columnsUpdateQuery(mask uint32) string {
	var sets []string
	for i, col := range strings.Split(clientColumns, ", ") {
		if mask&(1<<i) != 0 {
			sets = append(sets, col+" = ?")
		}
	}
	if s.dialect == MySQL {
		// Also when nothing else changed: the version moves, and an
		// UPDATE that changes nothing would report no affected row.
		sets = append(sets, "version = version + 1")
	}
	return "UPDATE " + s.clientsTable + " SET " + strings.Join(sets, ", ") + " WHERE id = ?"
}

// stmtCache holds a statement per set of changed columns, up to
// maxColumnUpdates sets: a rotation, the updates a deployment makes. Other
// sets are sent unprepared.
type stmtCache struct {
	mu sync.Mutex
	m  map[uint32]*lazyStmt
}

const maxColumnUpdates = 64

// get returns the statement for key, or nil when the cache is full.
func (c *stmtCache) get(key uint32) *lazyStmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.m[key]; ok {
		return l
	}
	if len(c.m) >= maxColumnUpdates {
		return nil
	}
	if c.m == nil {
		c.m = map[uint32]*lazyStmt{}
	}
	l := new(lazyStmt)
	c.m[key] = l
	return l
}

// all returns every statement of the cache, for Close.
func (c *stmtCache) all() []*lazyStmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*lazyStmt, 0, len(c.m))
	for _, l := range c.m {
		out = append(out, l)
	}
	return out
}

// modifyOptimistic is ModifyClient on PostgreSQL: GetClient, change,
// UpdateClient at the version read.
func (s *Store) modifyOptimistic(ctx context.Context, id string, change func(*oauthreg.Client) error) (*oauthreg.Client, error) {
	c, err := s.GetClient(ctx, id)
	if err != nil {
		if errors.Is(err, oauthreg.ErrNotFound) {
			return nil, notFound(id)
		}
		return nil, err
	}
	read := readStateOf(c, nil)
	if err := change(c); err != nil {
		return nil, err
	}
	read.restore(c, id)
	if err := s.UpdateClient(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// secretOrdinals reads the ordinal of each secret of the JSON secrets
// column (see secretsFrom) into ordinals, by secret ID.
func secretOrdinals(raw []byte, ordinals map[string]int64) error {
	var f [numSecretColumns + 1]jsonValue
	return jsonArrays(raw, f[:], func() error {
		ord, err := f[0].int()
		if err != nil {
			return err
		}
		id, err := f[1].str()
		if err != nil {
			return err
		}
		ordinals[id] = ord
		return nil
	})
}
