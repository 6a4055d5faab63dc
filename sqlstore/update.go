package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// UpdateClient on SQLite and MySQL writes only what changed. Its
// transaction:
//
//  1. locks the client row and checks its version with a versioned UPDATE
//     as its first statement. That first statement is a write, so on
//     SQLite the transaction takes the database's write lock before it
//     reads anything: a concurrent writer makes it wait (busy_timeout),
//     never fail at its end with SQLITE_BUSY, as a transaction that read
//     first would; it is what BEGIN IMMEDIATE gives, with any driver and
//     without a DSN setting. On SQLite the UPDATE moves only the version
//     and updated_at, on the condition that every other column already
//     holds c's value (a rotation, an unchanged client), so that no index
//     entry is rewritten; when that matches no row, the UPDATE of every
//     column follows. On MySQL the UPDATE writes every column, which
//     InnoDB turns into a write of the changed ones only.
//  2. reads the client's secret and tag rows (one SELECT). Every writer of
//     those rows holds the client row's lock first, so they are the rows of
//     the version just checked.
//  3. writes the difference: one multi-row upsert of the new and changed
//     secret rows, one DELETE of the removed ones, and the tag rows added
//     or removed. A secret row that did not change is not written; a kept
//     secret keeps its stored ordinal when the order allows it, so dropping
//     the oldest secret does not renumber the others.
//
// A rotation under the default policy is then BEGIN, three statements (the
// UPDATE, the SELECT, one upsert of the new row and of the one or two whose
// expiry or revocation moved) and COMMIT; an update that changes nothing but
// the version is BEGIN, two statements and COMMIT. PostgreSQL does all of it
// in one statement (see q.pgUpdate), which also leaves unchanged rows alone
// and keeps kept secrets' ordinals by the same rule.

// storedSecret is a secret row of the client as UpdateClient reads it:
// its ordinal and the columns UpdateClient writes.
type storedSecret struct {
	ordinal int64
	cols    secretCols
}

// secretCols are the columns of a secret row that UpdateClient writes,
// but the ordinal (last_used_at is TouchClient's), encoded as stored.
type secretCols struct {
	kind, hash, sealed, hint, description string
	created, expires, revoked             sql.NullInt64
}

func secretColsOf(s *oauthreg.Secret) secretCols {
	return secretCols{
		kind: string(s.Kind), hash: s.Hash.Reveal(), sealed: s.Sealed.Reveal(), hint: s.Hint, description: s.Description,
		created: nullMicros(s.CreatedAt), expires: nullMicros(s.ExpiresAt), revoked: nullMicros(s.RevokedAt),
	}
}

// storedRows are the secret rows (by secret ID) and tag rows of a client.
type storedRows struct {
	secrets map[string]storedSecret
	tags    map[tagRow]bool
}

// maxOrdinal is the largest ordinal every engine holds (MySQL's INT).
const maxOrdinal = math.MaxInt32

// secretWrite is a secret row to insert or update, at the given ordinal.
type secretWrite struct {
	ordinal int64
	s       *oauthreg.Secret
}

// diffSecrets returns the secret rows that make stored into secrets: those
// to write (new, or with a changed column or ordinal) and the IDs of those
// to delete, in byte order. Ordinals only need to grow along secrets: a
// secret keeps its stored ordinal when it is above the previous one's,
// else it takes the next; when that would pass maxOrdinal, all are
// renumbered from 0.
func diffSecrets(stored map[string]storedSecret, secrets []oauthreg.Secret) (write []secretWrite, remove []string) {
	ordinals := make([]int64, len(secrets))
	last := int64(-1)
	for i := range secrets {
		ord := last + 1
		if old, ok := stored[secrets[i].ID]; ok && old.ordinal > last {
			ord = old.ordinal
		}
		ordinals[i], last = ord, ord
	}
	if last > maxOrdinal {
		for i := range ordinals {
			ordinals[i] = int64(i)
		}
	}
	kept := 0
	for i := range secrets {
		old, ok := stored[secrets[i].ID]
		if ok {
			kept++
		}
		if !ok || old.ordinal != ordinals[i] || old.cols != secretColsOf(&secrets[i]) {
			write = append(write, secretWrite{ordinal: ordinals[i], s: &secrets[i]})
		}
	}
	if kept < len(stored) {
		ids := make(map[string]bool, len(secrets))
		for i := range secrets {
			ids[secrets[i].ID] = true
		}
		for id := range stored {
			if !ids[id] {
				remove = append(remove, id)
			}
		}
		slices.Sort(remove)
	}
	return write, remove
}

// diffTags returns the tag rows of c to insert and those of stored to
// delete.
func diffTags(stored map[tagRow]bool, c *oauthreg.Client) (add, remove []tagRow) {
	rows := tagRowsOf(c)
	for _, r := range rows {
		if !stored[r] {
			add = append(add, r)
		}
	}
	if len(rows)-len(add) < len(stored) {
		want := make(map[tagRow]bool, len(rows))
		for _, r := range rows {
			want[r] = true
		}
		for r := range stored {
			if !want[r] {
				remove = append(remove, r)
			}
		}
		slices.SortFunc(remove, func(a, b tagRow) int {
			return strings.Compare(a.Kind+"\x00"+a.Tag, b.Kind+"\x00"+b.Tag)
		})
	}
	return add, remove
}

// updateTx runs UpdateClient on SQLite and MySQL: the versioned UPDATE, the
// read of the secret and tag rows, and the writes of what changed, in one
// transaction. set holds the values of updateColumns, then id and version.
func (s *Store) updateTx(ctx context.Context, c *oauthreg.Client, set []any) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		if s.dialect == SQLite {
			err = s.lockSQLite(ctx, tx, c, set)
		} else {
			err = s.lockMySQL(ctx, tx, c, set)
		}
		if err != nil {
			return err
		}
		stored, err := s.readRows(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return s.writeChanges(ctx, tx, c, stored)
	})
}

// lockMySQL runs the versioned UPDATE of every client column.
func (s *Store) lockMySQL(ctx context.Context, tx *sql.Tx, c *oauthreg.Client, set []any) error {
	st, err := s.inTx(ctx, tx, &s.updateClient, s.q.updateClient)
	if err != nil {
		return err
	}
	err = affected(st.ExecContext(ctx, set...))
	if errors.Is(err, errNoRows) {
		return s.whyNotUpdated(ctx, tx, c)
	}
	return err
}

// lockSQLite runs the versioned UPDATE of the version and updated_at only
// if every other column already holds c's value (SQLite's IS, which
// matches NULL with NULL, on exact types and bytes): the update of a
// rotation or of an unchanged client rewrites no index. When it matches
// nothing, the client changed or is not at c.Version: the versioned UPDATE
// of every column follows, as on MySQL.
func (s *Store) lockSQLite(ctx context.Context, tx *sql.Tx, c *oauthreg.Client, set []any) error {
	st, err := s.inTx(ctx, tx, &s.bumpVersion, s.q.bumpVersion)
	if err != nil {
		return err
	}
	// updated_at, id, version, then the other columns to compare.
	n := len(set) - 2 // the columns; set ends with id and version
	args := make([]any, 0, len(set)+1)
	args = append(args, set[n-1], c.ID, c.Version)
	args = append(args, set[:n-1]...)
	err = affected(st.ExecContext(ctx, args...))
	if !errors.Is(err, errNoRows) {
		return err
	}
	return s.lockMySQL(ctx, tx, c, set)
}

// whyNotUpdated tells, after a versioned UPDATE that matched no row,
// whether the client is missing or at another version.
func (s *Store) whyNotUpdated(ctx context.Context, tx *sql.Tx, c *oauthreg.Client) error {
	st, err := s.inTx(ctx, tx, &s.version, s.q.version)
	if err != nil {
		return err
	}
	var v int64
	switch err := st.QueryRowContext(ctx, c.ID).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return notFound(c.ID)
	case err != nil:
		return err
	}
	return conflict(c, v)
}

// readRows reads the secret and tag rows of client id in tx, with one
// SELECT.
func (s *Store) readRows(ctx context.Context, tx *sql.Tx, id string) (storedRows, error) {
	out := storedRows{secrets: map[string]storedSecret{}, tags: map[tagRow]bool{}}
	st, err := s.inTx(ctx, tx, &s.readRowsStmt, s.q.readRows)
	if err != nil {
		return out, err
	}
	rows, err := st.QueryContext(ctx, id, id)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var (
		tag                   bool
		key, kind             string
		hash, sealed          sql.NullString
		hint, descr           sql.NullString
		ordinal, created, exp sql.NullInt64
		revoked               sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&tag, &ordinal, &key, &kind, &hash, &sealed, &hint, &descr, &created, &exp, &revoked); err != nil {
			return out, err
		}
		if tag {
			out.tags[tagRow{Kind: kind, Tag: key}] = true
			continue
		}
		out.secrets[key] = storedSecret{ordinal: ordinal.Int64, cols: secretCols{
			kind: kind, hash: hash.String, sealed: sealed.String, hint: hint.String, description: descr.String,
			created: created, expires: exp, revoked: revoked,
		}}
	}
	return out, rows.Err()
}

// writeChanges writes the secret and tag rows that make stored into c's.
func (s *Store) writeChanges(ctx context.Context, tx *sql.Tx, c *oauthreg.Client, stored storedRows) error {
	write, remove := diffSecrets(stored.secrets, c.Secrets)
	if err := s.deleteRows(ctx, tx, s.deleteSomeSecrets[:],
		func(k int) string { return deleteSomeSecretsQuery(s.dialect, s.secretsTable, k) }, c.ID, len(remove),
		func(i int) []any { return []any{remove[i]} }); err != nil {
		return err
	}
	for start := 0; start < len(write); start += maxSecretRowsPerInsert {
		chunk := write[start:min(len(write), start+maxSecretRowsPerInsert)]
		args := make([]any, 0, len(chunk)*(numSecretColumns+1))
		for _, w := range chunk {
			sec := w.s
			args = append(args, c.ID, w.ordinal, sec.ID, string(sec.Kind), sec.Hash.Reveal(), sec.Sealed.Reveal(), sec.Hint, sec.Description,
				timeValue(sec.CreatedAt), timeValue(sec.ExpiresAt), timeValue(sec.RevokedAt))
		}
		if err := s.execMaybePrepared(ctx, tx, s.upsertSecrets[:], len(chunk),
			upsertSecretsQuery(s.dialect, s.secretsTable, len(chunk)), args); err != nil {
			return err
		}
	}
	add, drop := diffTags(stored.tags, c)
	if err := s.deleteRows(ctx, tx, s.deleteSomeTags[:],
		func(k int) string { return deleteSomeTagsQuery(s.dialect, s.tagsTable, k) }, c.ID, len(drop),
		func(i int) []any { return []any{drop[i].Kind, drop[i].Tag} }); err != nil {
		return err
	}
	return s.insertTags(ctx, tx, c.ID, add)
}

// deleteRows deletes n rows of client id, the values of the key of row i
// being key(i), in statements of up to maxSecretRowsPerInsert rows:
// query(k) is the DELETE of k rows (see deleteSomeSecretsQuery), prepared
// in cache when k is small enough.
func (s *Store) deleteRows(ctx context.Context, tx *sql.Tx, cache []lazyStmt, query func(k int) string, id string, n int, key func(i int) []any) error {
	for start := 0; start < n; start += maxSecretRowsPerInsert {
		end := min(n, start+maxSecretRowsPerInsert)
		args := []any{id}
		for i := start; i < end; i++ {
			args = append(args, key(i)...)
		}
		if err := s.execMaybePrepared(ctx, tx, cache, end-start, query(end-start), args); err != nil {
			return err
		}
	}
	return nil
}
