package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/oauthreg/oauthreg"
)

// Store is an oauthreg.Store over database/sql. It is safe for concurrent
// use. Create it with New, create its tables with Migrate, and pass it to
// oauthreg.New.
type Store struct {
	db          *sql.DB
	dialect     Dialect
	prefix      string
	maxAttempts int

	clientsTable, secretsTable, tagsTable, migrationsTable string

	// gooseTable is goose's version table that Migrate keeps in step
	// (WithGooseTable), or "".
	gooseTable    string
	gooseTableSet bool

	q queries

	// Prepared statements, made on first use (the tables may not exist
	// before Migrate) and reused for the Store's life.
	get, insertClient, updateClient, version, deleteClient, deleteSecrets lazyStmt
	deleteClientAt                                                        lazyStmt
	touchClient, touchSecret, expiring, pgCreate, pgUpdate                lazyStmt
	locate, deleteTags                                                    lazyStmt
	list                                                                  [numListVariants]lazyStmt
	insertSecrets, upsertSecrets, deleteSomeSecrets, deleteSomeTags       [maxPreparedSecretRows + 1]lazyStmt
	bumpVersion, readRowsStmt, modifyRead                                 lazyStmt
	columnUpdates                                                         stmtCache // ModifyClient's (see writeColumns)
}

// Secret INSERTs of up to this many rows are prepared and kept; larger ones
// are sent unprepared, in chunks of maxSecretRowsPerInsert.
const (
	maxPreparedSecretRows  = 32
	maxSecretRowsPerInsert = 500
)

var (
	_ oauthreg.Store            = (*Store)(nil)
	_ oauthreg.VersionedDeleter = (*Store)(nil)
	_ oauthreg.SecretLocator    = (*Store)(nil)
)

// Option configures a Store; see New.
type Option func(*Store)

// DefaultTablePrefix starts the names of the Store's tables and indexes
// unless WithTablePrefix says otherwise: oauthreg_clients,
// oauthreg_client_secrets and oauthreg_schema_migrations.
const DefaultTablePrefix = "oauthreg_"

// WithTablePrefix sets the prefix of the Store's table and index names, so
// that they fit into an existing schema, or so that several independent
// stores share one database. It may be empty; otherwise it has at most 32
// lower-case ASCII letters, digits and underscores, and does not start with a
// digit. The default is DefaultTablePrefix.
func WithTablePrefix(prefix string) Option {
	return func(s *Store) { s.prefix = prefix }
}

// WithMaxAttempts sets how many times a call runs its transaction when the
// database reports a transient failure (serialization failure, deadlock,
// lock wait timeout, busy SQLite database) before it gives up with
// ErrRetriesExhausted, or a lost connection (PostgreSQL SQLSTATE 57P01,
// 57P02, 57P03 or class 08; MySQL and MariaDB errors 1053, 1927, 2006,
// 2013; driver.ErrBadConn, an unexpected EOF, a reset, broken or refused
// TCP connection) before it gives up with an error matching
// oauthreg.ErrUnavailable. Reads and transactions interrupted before their
// COMMIT run again; a write whose outcome is unknown is settled by a reread
// first (see ErrOutcomeUnknown), never blindly repeated. 1 turns retrying off. The default is
// DefaultMaxAttempts. Attempts are separated by a short random backoff that
// grows exponentially from 2ms to at most 250ms, and end early when the
// context is done.
func WithMaxAttempts(n int) Option {
	return func(s *Store) { s.maxAttempts = n }
}

// New returns a Store that keeps clients in db, an open database of the given
// dialect. It does not touch the database: call Migrate to create or upgrade
// the tables. The Store does not own db; Close releases only the Store's
// prepared statements.
func New(db *sql.DB, dialect Dialect, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sql.DB")
	}
	if !dialect.valid() {
		return nil, fmt.Errorf("sqlstore: unknown dialect %v (use sqlstore.SQLite, sqlstore.Postgres or sqlstore.MySQL)", dialect)
	}
	s := &Store{db: db, dialect: dialect, prefix: DefaultTablePrefix, maxAttempts: DefaultMaxAttempts}
	for _, o := range opts {
		o(s)
	}
	if err := validPrefix(s.prefix); err != nil {
		return nil, err
	}
	if s.gooseTableSet {
		if err := validGooseTable(s.gooseTable); err != nil {
			return nil, err
		}
	}
	if s.maxAttempts < 1 {
		return nil, fmt.Errorf("sqlstore: WithMaxAttempts(%d): at least 1 attempt is needed", s.maxAttempts)
	}
	s.clientsTable = s.prefix + "clients"
	s.secretsTable = s.prefix + "client_secrets"
	s.tagsTable = s.prefix + "client_tags"
	s.migrationsTable = s.prefix + "schema_migrations"
	s.q = buildQueries(dialect, s.clientsTable, s.secretsTable, s.tagsTable)
	return s, nil
}

// Dialect returns the dialect the Store was created with.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the Store's prepared statements. It does not close the
// *sql.DB. A Store used after Close prepares its statements again.
func (s *Store) Close() error {
	var errs []error
	all := []*lazyStmt{&s.get, &s.insertClient, &s.updateClient, &s.version, &s.deleteClient, &s.deleteClientAt,
		&s.deleteSecrets, &s.touchClient, &s.touchSecret, &s.expiring, &s.pgCreate, &s.pgUpdate, &s.locate, &s.deleteTags,
		&s.bumpVersion, &s.readRowsStmt, &s.modifyRead}
	all = append(all, s.columnUpdates.all()...)
	for i := range s.list {
		all = append(all, &s.list[i])
	}
	for i := range s.insertSecrets {
		all = append(all, &s.insertSecrets[i], &s.upsertSecrets[i], &s.deleteSomeSecrets[i], &s.deleteSomeTags[i])
	}
	for _, l := range all {
		if st := l.p.Swap(nil); st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// lazyStmt is a statement prepared on first use.
type lazyStmt struct {
	p atomic.Pointer[sql.Stmt]
}

// prepared returns l's statement, preparing it with the caller's own ctx
// when it is not prepared yet. Callers racing on the first use each prepare
// (no caller waits on another's context); one statement wins, the others are
// closed.
func (s *Store) prepared(ctx context.Context, l *lazyStmt, query string) (*sql.Stmt, error) {
	if st := l.p.Load(); st != nil {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if !l.p.CompareAndSwap(nil, st) {
		_ = st.Close()
		return l.p.Load(), nil
	}
	return st, nil
}

// inTx returns the prepared statement for use in tx.
func (s *Store) inTx(ctx context.Context, tx *sql.Tx, l *lazyStmt, query string) (*sql.Stmt, error) {
	st, err := s.prepared(ctx, l, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// withTx runs fn in a transaction, the whole transaction again when it fails
// with a transient error (see retry).
func (s *Store) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return sent(tx.Commit())
	})
}

// opError wraps a driver error with the operation and client it concerns;
// sentinel errors of package oauthreg and ErrRetriesExhausted pass through
// with their own wording.
func opError(op, id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlstore: %s %q: %w", op, oauthreg.SanitizeInput(id), err)
}

// CreateClient stores a new client and its secrets atomically and sets
// c.Version to 1: one statement on PostgreSQL, a transaction of two INSERTs
// elsewhere. It returns an error matching oauthreg.ErrAlreadyExists if the ID
// is taken (detected by the driver's unique-violation code).
func (s *Store) CreateClient(ctx context.Context, c *oauthreg.Client) error {
	if c == nil {
		return errors.New("sqlstore: CreateClient: nil client")
	}
	if c.ID == "" {
		return errors.New("sqlstore: CreateClient: empty client ID")
	}
	if err := checkSecretIDs(c); err != nil {
		return err
	}
	args, err := clientArgs(c, 1)
	if err != nil {
		return err
	}
	err = s.createOnce(ctx, func() error {
		if s.dialect == Postgres {
			return s.createPostgres(ctx, c, args)
		}
		return s.createTx(ctx, c, args)
	}, func(lost error) (bool, error) { return s.settleCreate(ctx, c, lost) })
	if err != nil {
		if errors.Is(err, oauthreg.ErrAlreadyExists) {
			return err
		}
		return opError("creating client", c.ID, err)
	}
	c.Version = 1
	return nil
}

// createPostgres inserts the client and its secrets with one statement.
func (s *Store) createPostgres(ctx context.Context, c *oauthreg.Client, args []any) error {
	args, err := pgCreateArgs(c, args)
	if err != nil {
		return err
	}
	return s.retry(ctx, func() error {
		st, err := s.prepared(ctx, &s.pgCreate, s.q.pgCreate)
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, args...)
		return sent(existsIfUnique(c, err))
	})
}

// existsIfUnique turns err, the failure of a statement that inserts the
// client c, into ErrAlreadyExists when it is a unique violation: the
// client's ID is taken (checkSecretIDs rules out duplicate secrets).
func existsIfUnique(c *oauthreg.Client, err error) error {
	if err != nil && classify(err) == classUnique {
		return fmt.Errorf("%w: %q", oauthreg.ErrAlreadyExists, oauthreg.SanitizeInput(c.ID))
	}
	return err
}

// pgCreateArgs returns the arguments of the pgCreate statement: args (the
// client's columns), its secrets and its tags.
func pgCreateArgs(c *oauthreg.Client, args []any) ([]any, error) {
	secrets, err := secretsJSON(c.Secrets)
	if err != nil {
		return nil, err
	}
	tags, err := tagsJSON(c)
	if err != nil {
		return nil, err
	}
	return append(args, secrets, tags), nil
}

// createTx inserts the client, then its secrets, in one transaction.
func (s *Store) createTx(ctx context.Context, c *oauthreg.Client, args []any) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return s.createIn(ctx, tx, c, args) })
}

// createIn inserts the client, then its secrets and tags, in tx. On
// PostgreSQL that is the one statement pgCreate, and args must hold its
// secrets and tags too (see pgCreateArgs).
func (s *Store) createIn(ctx context.Context, tx *sql.Tx, c *oauthreg.Client, args []any) error {
	if s.dialect == Postgres {
		st, err := s.inTx(ctx, tx, &s.pgCreate, s.q.pgCreate)
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, args...)
		return existsIfUnique(c, err)
	}
	st, err := s.inTx(ctx, tx, &s.insertClient, s.q.insertClient)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return existsIfUnique(c, err)
	}
	if err := s.writeSecrets(ctx, tx, c.ID, c.Secrets); err != nil {
		return err
	}
	return s.insertTags(ctx, tx, c.ID, tagRowsOf(c))
}

// checkSecretIDs refuses a client with two secrets of the same ID, which the
// secrets table's primary key could not hold, and a client with text that is
// not valid UTF-8, which the engines would reject (PostgreSQL, MySQL) or
// silently alter (SQLite's JSON functions): never store something else than
// what was given.
func checkSecretIDs(c *oauthreg.Client) error {
	if field, ok := invalidUTF8(c); ok {
		return fmt.Errorf("sqlstore: client %q: %s is not valid UTF-8 without NUL bytes; nothing was stored", oauthreg.SanitizeInput(c.ID), field)
	}
	for i := 1; i < len(c.Secrets); i++ {
		for j := range i {
			if c.Secrets[i].ID == c.Secrets[j].ID {
				return fmt.Errorf("sqlstore: client %q has two secrets with ID %q", oauthreg.SanitizeInput(c.ID), oauthreg.SanitizeInput(c.Secrets[i].ID))
			}
		}
	}
	return nil
}

// clientArgs returns the values of clientColumns for c, with the given
// version.
func clientArgs(c *oauthreg.Client, version int64) ([]any, error) {
	meta, err := metadataValue(c.Metadata)
	if err != nil {
		return nil, err
	}
	policy, err := policyValue(c.RotationPolicy)
	if err != nil {
		return nil, err
	}
	profile, err := profileValue(c)
	if err != nil {
		return nil, err
	}
	return []any{
		c.ID, c.Owner, c.Name, c.Description,
		stringsValue(c.GrantTypes), stringsValue(c.ResponseTypes), stringsValue(c.Scopes), stringsValue(c.RedirectURIs),
		string(c.TokenEndpointAuthMethod), c.Public, int64(c.AccessTokenTTL), int64(c.RefreshTokenTTL), c.Disabled,
		stringsValue(c.SystemTags), stringsValue(c.UserTags), meta, policy, profile,
		timeValue(c.CreatedAt), timeValue(c.UpdatedAt), timeValue(c.LastUsedAt),
		version,
	}, nil
}

// writeSecrets inserts secrets as the rows of client id, in order.
func (s *Store) writeSecrets(ctx context.Context, tx *sql.Tx, id string, secrets []oauthreg.Secret) error {
	for start := 0; start < len(secrets); start += maxSecretRowsPerInsert {
		chunk := secrets[start:min(len(secrets), start+maxSecretRowsPerInsert)]
		args := make([]any, 0, len(chunk)*numSecretInsertColumns)
		for i, sec := range chunk {
			args = append(args, id, start+i, sec.ID, string(sec.Kind), sec.Hash.Reveal(), sec.Sealed.Reveal(), sec.Hint, sec.Description,
				timeValue(sec.CreatedAt), timeValue(sec.ExpiresAt), timeValue(sec.RevokedAt), timeValue(sec.LastUsedAt))
		}
		var err error
		if n := len(chunk); n <= maxPreparedSecretRows {
			var st *sql.Stmt
			st, err = s.inTx(ctx, tx, &s.insertSecrets[n], insertSecretsQuery(s.dialect, s.secretsTable, n))
			if err == nil {
				_, err = st.ExecContext(ctx, args...)
			}
		} else {
			_, err = tx.ExecContext(ctx, insertSecretsQuery(s.dialect, s.secretsTable, n), args...)
		}
		if err != nil {
			if classify(err) == classUnique {
				// checkSecretIDs rules out duplicates within the client.
				return fmt.Errorf("inserting secrets: unexpected duplicate key: %w", err)
			}
			return err
		}
	}
	return nil
}

// GetClient returns the client with its secrets, read with one prepared
// query, or an error matching oauthreg.ErrNotFound. On SQLite and
// PostgreSQL the query returns the client row with its secrets aggregated
// into one JSON column; on MySQL and MariaDB the client row joined with its
// secret rows (no aggregate, no ORDER BY, so no temporary table).
func (s *Store) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	if !storable(id) {
		return nil, oauthreg.ErrNotFound
	}
	var c *oauthreg.Client
	err := s.retry(ctx, func() error {
		st, err := s.prepared(ctx, &s.get, s.q.get)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, id)
		if err != nil {
			return err
		}
		cs, err := s.scan(rows, 1, nil)
		if err != nil {
			return err
		}
		// The query returns the next client when id has none, decoded
		// like a hit (see buildQueries): it is dropped here.
		if len(cs) == 0 || cs[0].ID != id {
			return oauthreg.ErrNotFound
		}
		c = cs[0]
		return nil
	})
	if err != nil {
		if errors.Is(err, oauthreg.ErrNotFound) {
			return nil, err
		}
		return nil, opError("reading client", id, err)
	}
	return c, nil
}

// UpdateClient replaces the client and all its secrets atomically, if the
// stored version still equals c.Version: a versioned UPDATE of the client row
// (which also locks it), then only the rows that changed are written: new
// and changed secret rows, removed ones deleted, unchanged ones left alone,
// tag rows likewise. On PostgreSQL this is one statement (one round trip);
// on SQLite and MySQL one transaction that also reads the client's secret
// and tag rows (see updateTx): a rotation is BEGIN, three statements and
// COMMIT. On success c.Version is increased, also when nothing else
// changed. It returns errors matching oauthreg.ErrConflict or
// oauthreg.ErrNotFound; a failed update changes nothing.
func (s *Store) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	if c == nil {
		return errors.New("sqlstore: UpdateClient: nil client")
	}
	if !storable(c.ID) {
		return oauthreg.ErrNotFound
	}
	if err := checkSecretIDs(c); err != nil {
		return err
	}
	all, err := clientArgs(c, 0)
	if err != nil {
		return err
	}
	// SET owner..updated_at, then WHERE id, version.
	args := append(all[1:numClientColumns-2:numClientColumns-2], c.ID, c.Version)
	err = s.writeOnce(ctx, func(again bool) error {
		var err error
		if s.dialect == Postgres {
			err = s.updatePostgres(ctx, c, args)
		} else {
			err = s.updateTx(ctx, c, args)
		}
		if again && errors.Is(err, oauthreg.ErrConflict) {
			return &outcomeUnknownError{err} // perhaps by the lost attempt
		}
		return err
	}, func(lost error) (bool, error) { return s.settleUpdate(ctx, c, lost) })
	if err != nil {
		if errors.Is(err, oauthreg.ErrNotFound) || errors.Is(err, oauthreg.ErrConflict) {
			return err
		}
		return opError("updating client", c.ID, err)
	}
	c.Version++
	return nil
}

func notFound(id string) error {
	return fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(id))
}

func conflict(c *oauthreg.Client, stored int64) error {
	return fmt.Errorf("%w: client %q is at version %d, the update was based on version %d",
		oauthreg.ErrConflict, oauthreg.SanitizeInput(c.ID), stored, c.Version)
}

// updatePostgres updates the client and its secrets with one statement.
func (s *Store) updatePostgres(ctx context.Context, c *oauthreg.Client, args []any) error {
	secrets, err := secretsJSON(c.Secrets)
	if err != nil {
		return err
	}
	tags, err := tagsJSON(c)
	if err != nil {
		return err
	}
	args = append(args, secrets, tags, c.ID)
	return s.retry(ctx, func() error {
		st, err := s.prepared(ctx, &s.pgUpdate, s.q.pgUpdate)
		if err != nil {
			return err
		}
		var updated int64
		var stored sql.NullInt64
		if err := st.QueryRowContext(ctx, args...).Scan(&updated, &stored); err != nil {
			return sent(err)
		}
		switch {
		case updated == 1:
			return nil
		case !stored.Valid:
			return notFound(c.ID)
		default:
			// Another writer changed the client since c was read, or
			// since this statement's snapshot (then stored may even
			// equal c.Version).
			return conflict(c, stored.Int64)
		}
	})
}

// execMaybePrepared runs query in tx, with the statement prepared in
// cache[n] when n is small enough to be cached.
func (s *Store) execMaybePrepared(ctx context.Context, tx *sql.Tx, cache []lazyStmt, n int, query string, args []any) error {
	if n < len(cache) {
		st, err := s.inTx(ctx, tx, &cache[n], query)
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, args...)
		return err
	}
	_, err := tx.ExecContext(ctx, query, args...)
	return err
}

// DeleteClient removes a client and its secrets, or returns an error
// wrapping oauthreg.ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, id string) error {
	if !storable(id) {
		return oauthreg.ErrNotFound
	}
	return s.deleteOnce(ctx, id, 0, &s.deleteClient, s.q.deleteClient, id)
}

// DeleteClientAt is DeleteClient only if the stored Version is version
// (oauthreg.VersionedDeleter): a client at another version is not deleted
// and the error wraps oauthreg.ErrConflict.
func (s *Store) DeleteClientAt(ctx context.Context, id string, version int64) error {
	if !storable(id) {
		return oauthreg.ErrNotFound
	}
	return s.deleteOnce(ctx, id, version, &s.deleteClientAt, s.q.deleteClientAt, id, version)
}

// deleteOnce runs a delete through writeOnce (version 0: any version) and
// tells an absent client from one at another version.
func (s *Store) deleteOnce(ctx context.Context, id string, version int64, l *lazyStmt, query string, args ...any) error {
	err := s.writeOnce(ctx, func(again bool) error {
		err := s.deleteWhere(ctx, id, l, query, args...)
		if again && errors.Is(err, errNoRows) {
			return &outcomeUnknownError{err} // perhaps by the lost attempt
		}
		return err
	}, func(lost error) (bool, error) { return s.settleDelete(ctx, id, version, lost) })
	if errors.Is(err, errNoRows) {
		if version != 0 {
			if _, gerr := s.GetClient(ctx, id); gerr == nil {
				return fmt.Errorf("%w: client %q is no longer at version %d", oauthreg.ErrConflict, oauthreg.SanitizeInput(id), version)
			}
		}
		return fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(id))
	}
	if errors.Is(err, oauthreg.ErrConflict) {
		return err
	}
	return opError("deleting client", id, err)
}

// deleteWhere runs the delete statement l (query, with args) and, on
// SQLite, deletes the secrets of id in the same transaction: foreign keys
// are a per-connection setting there, so ON DELETE CASCADE is not trusted.
// Elsewhere the delete is one statement and the foreign key cascades. It
// returns errNoRows when the statement deleted nothing.
func (s *Store) deleteWhere(ctx context.Context, id string, l *lazyStmt, query string, args ...any) error {
	if s.dialect != SQLite {
		return s.retry(ctx, func() error {
			st, err := s.prepared(ctx, l, query)
			if err != nil {
				return err
			}
			res, err := st.ExecContext(ctx, args...)
			return affected(res, sent(err))
		})
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		st, err := s.inTx(ctx, tx, l, query)
		if err != nil {
			return err
		}
		if err := affected(st.ExecContext(ctx, args...)); err != nil {
			return err
		}
		for _, del := range []struct {
			l     *lazyStmt
			query string
		}{{&s.deleteSecrets, s.q.deleteSecrets}, {&s.deleteTags, s.q.deleteTags}} {
			st, err = s.inTx(ctx, tx, del.l, del.query)
			if err != nil {
				return err
			}
			if _, err = st.ExecContext(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

var errNoRows = errors.New("no rows affected")

// affected turns an Exec result that changed no row into errNoRows.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoRows
	}
	return nil
}

// TouchClient sets the LastUsedAt of the client and of its secret secretID
// to at, without changing the client's Version: one UPDATE statement on
// PostgreSQL and MySQL, one transaction of two UPDATEs on SQLite. It returns
// an error matching oauthreg.ErrNotFound if the client does not exist; an
// unknown secretID is ignored.
func (s *Store) TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error {
	if !storable(clientID) {
		return oauthreg.ErrNotFound
	}
	if !storable(secretID) {
		secretID = "" // names no secret; the client's time is still set
	}
	ts := timeValue(at)
	var err error
	switch s.dialect {
	case Postgres:
		err = s.retry(ctx, func() error {
			st, err := s.prepared(ctx, &s.touchClient, s.q.touchClient)
			if err != nil {
				return err
			}
			var n int64
			if err := st.QueryRowContext(ctx, ts, clientID, ts, secretID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errNoRows
			}
			return nil
		})
	case MySQL:
		err = s.retry(ctx, func() error {
			st, err := s.prepared(ctx, &s.touchClient, s.q.touchClient)
			if err != nil {
				return err
			}
			err = affected(st.ExecContext(ctx, secretID, ts, ts, clientID))
			if !errors.Is(err, errNoRows) {
				return err
			}
			// Nothing changed: either no such client, or the times
			// were already at.
			st, err = s.prepared(ctx, &s.version, s.q.version)
			if err != nil {
				return err
			}
			var v int64
			err = st.QueryRowContext(ctx, clientID).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return errNoRows
			}
			return err
		})
	case SQLite:
		err = s.withTx(ctx, func(tx *sql.Tx) error {
			st, err := s.inTx(ctx, tx, &s.touchClient, s.q.touchClient)
			if err != nil {
				return err
			}
			if err := affected(st.ExecContext(ctx, ts, clientID)); err != nil {
				return err
			}
			st, err = s.inTx(ctx, tx, &s.touchSecret, s.q.touchSecret)
			if err != nil {
				return err
			}
			_, err = st.ExecContext(ctx, ts, clientID, secretID)
			return err
		})
	}
	if errors.Is(err, errNoRows) {
		return fmt.Errorf("%w: %q", oauthreg.ErrNotFound, oauthreg.SanitizeInput(clientID))
	}
	var unknown *outcomeUnknownError
	if errors.As(err, &unknown) {
		// A lost COMMIT (SQLite runs the touch as a transaction).
		return opError("recording use of client", clientID, outcomeUnknown("the COMMIT was lost", unknown.err))
	}
	return opError("recording use of client", clientID, err)
}

// ListClients returns one page of clients in ID (byte) order that pass q's
// filters (see listQuery for the indexes that serve them), with their
// secrets, read with one query. Pagination is by keyset (WHERE id > cursor
// ORDER BY id LIMIT n), so every page costs the same however deep it is; each client's secrets come in the same query, as
// for GetClient. On MySQL and MariaDB the keyset scan selects the page's IDs
// in a derived table, which is joined to the client and secret rows with no
// ORDER BY; the clients are put in ID order in Go. A cursor that this
// package did not produce yields an error matching
// oauthreg.ErrInvalidCursor.
func (s *Store) ListClients(ctx context.Context, q oauthreg.ListQuery) (oauthreg.ClientPage, error) {
	limit := q.EffectiveLimit()
	var after string
	if q.Cursor != "" {
		var err error
		if after, err = decodeCursor(q.Cursor); err != nil {
			return oauthreg.ClientPage{}, err
		}
	}
	variant, args, ok := listPlan(q, after, limit)
	if !ok {
		return oauthreg.ClientPage{Clients: []*oauthreg.Client{}}, nil
	}

	var page oauthreg.ClientPage
	err := s.retry(ctx, func() error {
		st, err := s.prepared(ctx, &s.list[variant], s.q.list[variant])
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		cs, err := s.scan(rows, limit+1, nil)
		if err != nil {
			return err
		}
		page = oauthreg.ClientPage{Clients: cs}
		return nil
	})
	if err != nil {
		return oauthreg.ClientPage{}, fmt.Errorf("sqlstore: listing clients: %w", err)
	}
	if len(page.Clients) > limit {
		page.Clients = page.Clients[:limit]
		page.NextCursor = encodeCursor(page.Clients[limit-1].ID)
	}
	if page.Clients == nil {
		page.Clients = []*oauthreg.Client{}
	}
	return page, nil
}

// A cursor is base64url (unpadded) of a version byte and the last ID of the
// previous page.
const cursorVersion = 1

func encodeCursor(lastID string) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{cursorVersion}, lastID...))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != cursorVersion || !storable(string(b[1:])) {
		// Not one of ours: encodeCursor writes the ID of a stored client,
		// never empty, always valid UTF-8 without NUL.
		return "", fmt.Errorf("%w: %q", oauthreg.ErrInvalidCursor, oauthreg.SanitizeInput(c))
	}
	return string(b[1:]), nil
}

// SecretsExpiring returns the unrevoked secrets of all clients whose expiry
// lies in (after, notAfter], ordered by expiry, client ID and secret ID: a
// range scan of the secrets table's expiry index.
func (s *Store) SecretsExpiring(ctx context.Context, after, notAfter time.Time) ([]oauthreg.ExpiringSecret, error) {
	var out []oauthreg.ExpiringSecret
	err := s.retry(ctx, func() error {
		out = out[:0]
		st, err := s.prepared(ctx, &s.expiring, s.q.expiring)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, boundValue(after), boundValue(notAfter))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e oauthreg.ExpiringSecret
			var exp sql.NullInt64
			if err := rows.Scan(&e.ClientID, &e.Owner, &e.SecretID, &e.Hint, &exp); err != nil {
				return err
			}
			e.ExpiresAt = timeFrom(exp)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: listing expiring secrets: %w", err)
	}
	return out, nil
}

// rowScanner holds one row of the client queries: the client's columns and
// either its secrets as JSON (dest) or the columns of one secret row of
// the MySQL join (joinDest). Text columns are read into reused buffers;
// scanners are pooled.
type rowScanner struct {
	id, owner, name, description, method            nullBytes
	grantTypes, responseTypes, scopes, redirectURIs nullBytes
	public, disabled                                bool
	accessTTL, refreshTTL, version                  int64
	systemTags, userTags, metadata, policy, profile nullBytes
	created, updated, lastUsed                      sql.NullInt64
	secrets                                         nullBytes
	dest                                            []any

	// The secret columns of the join (joinedSecretColumns).
	secOrdinal                                                  sql.NullInt64
	secID, secKind, secHash, secSealed, secHint, secDescription nullBytes
	secCreated, secExpires, secRevoked, secLastUsed             sql.NullInt64
	joinDest                                                    []any
	joined                                                      []joinedSecret // reused by scanJoined
}

// joinedSecret is a secret read by scanJoined: the index of its client in
// the result and its ordinal, by which the secrets are put in order.
type joinedSecret struct {
	client  int
	ordinal int64
	s       oauthreg.Secret
}

var rowScanners = sync.Pool{New: func() any { return newRowScanner() }}

func newRowScanner() *rowScanner {
	r := &rowScanner{}
	r.dest = []any{
		&r.id, &r.owner, &r.name, &r.description,
		&r.grantTypes, &r.responseTypes, &r.scopes, &r.redirectURIs,
		&r.method, &r.public, &r.accessTTL, &r.refreshTTL, &r.disabled,
		&r.systemTags, &r.userTags, &r.metadata, &r.policy, &r.profile,
		&r.created, &r.updated, &r.lastUsed, &r.version,
		&r.secrets,
	}
	r.joinDest = append(r.dest[:numClientColumns:numClientColumns],
		&r.secOrdinal, &r.secID, &r.secKind, &r.secHash, &r.secSealed, &r.secHint, &r.secDescription,
		&r.secCreated, &r.secExpires, &r.secRevoked, &r.secLastUsed)
	return r
}

func (r *rowScanner) client() (*oauthreg.Client, error) {
	c := &oauthreg.Client{
		ID:                      string(r.id.b),
		Owner:                   string(r.owner.b),
		Name:                    string(r.name.b),
		Description:             string(r.description.b),
		TokenEndpointAuthMethod: oauthreg.AuthMethod(r.method.b),
		Public:                  r.public,
		AccessTokenTTL:          time.Duration(r.accessTTL),
		RefreshTokenTTL:         time.Duration(r.refreshTTL),
		Disabled:                r.disabled,
		CreatedAt:               timeFrom(r.created),
		UpdatedAt:               timeFrom(r.updated),
		LastUsedAt:              timeFrom(r.lastUsed),
		Version:                 r.version,
	}
	var err error
	if c.GrantTypes, err = stringsFrom[oauthreg.GrantType](r.grantTypes.b, r.grantTypes.valid); err != nil {
		return nil, err
	}
	if c.ResponseTypes, err = stringsFrom[oauthreg.ResponseType](r.responseTypes.b, r.responseTypes.valid); err != nil {
		return nil, err
	}
	if c.Scopes, err = stringsFrom[string](r.scopes.b, r.scopes.valid); err != nil {
		return nil, err
	}
	if c.RedirectURIs, err = stringsFrom[string](r.redirectURIs.b, r.redirectURIs.valid); err != nil {
		return nil, err
	}
	if c.SystemTags, err = stringsFrom[string](r.systemTags.b, r.systemTags.valid); err != nil {
		return nil, err
	}
	if c.UserTags, err = stringsFrom[string](r.userTags.b, r.userTags.valid); err != nil {
		return nil, err
	}
	if c.Metadata, err = metadataFrom(r.metadata.b, r.metadata.valid); err != nil {
		return nil, err
	}
	if c.RotationPolicy, err = policyFrom(r.policy.b, r.policy.valid); err != nil {
		return nil, err
	}
	if err := setProfile(c, r.profile.b, r.profile.valid); err != nil {
		return nil, err
	}
	return c, nil
}

// scan reads the rows of q.get or q.list, as the dialect shapes them, and
// closes them. If ordinals is not nil, the rows are of one client (as
// ModifyClient reads it) and it receives the stored ordinal of each of its
// secrets, by secret ID.
func (s *Store) scan(rows *sql.Rows, sizeHint int, ordinals map[string]int64) ([]*oauthreg.Client, error) {
	if s.dialect == MySQL {
		return scanJoined(rows, sizeHint, ordinals)
	}
	return scanClients(rows, sizeHint, ordinals)
}

// scanClients reads the rows of a client query with the secrets aggregated
// as JSON (SQLite, PostgreSQL) and closes them. sizeHint is the most
// clients expected; ordinals, if not nil, receives the secrets' ordinals
// (see scan).
func scanClients(rows *sql.Rows, sizeHint int, ordinals map[string]int64) ([]*oauthreg.Client, error) {
	defer rows.Close()
	r := rowScanners.Get().(*rowScanner)
	defer rowScanners.Put(r)
	var out []*oauthreg.Client
	for rows.Next() {
		if err := rows.Scan(r.dest...); err != nil {
			return nil, err
		}
		c, err := r.client()
		if err != nil {
			return nil, err
		}
		if c.Secrets, err = secretsFrom(r.secrets.b, r.secrets.valid); err != nil {
			return nil, fmt.Errorf("client %q: %w", oauthreg.SanitizeInput(c.ID), err)
		}
		if ordinals != nil && r.secrets.valid {
			if err := secretOrdinals(r.secrets.b, ordinals); err != nil {
				return nil, fmt.Errorf("client %q: %w", oauthreg.SanitizeInput(c.ID), err)
			}
		}
		if out == nil {
			out = make([]*oauthreg.Client, 0, sizeHint)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// scanJoined reads the rows of a MySQL client query, the client rows joined
// with their secret rows in any order, and closes them. It returns each
// client once, in ID (byte) order, with its secrets in ordinal order (nil
// when it has none). sizeHint is the most clients expected; ordinals, if
// not nil, receives the secrets' ordinals (see scan).
func scanJoined(rows *sql.Rows, sizeHint int, ordinals map[string]int64) ([]*oauthreg.Client, error) {
	defer rows.Close()
	r := rowScanners.Get().(*rowScanner)
	defer func() {
		clear(r.joined) // drop the secrets' strings
		r.joined = r.joined[:0]
		if cap(r.joined) > 4096 {
			r.joined = nil // do not keep a huge page's buffer
		}
		rowScanners.Put(r)
	}()
	var (
		out  []*oauthreg.Client
		byID map[string]int // made at the second client
		cur  = -1           // index in out of the client of the last row
	)
	for rows.Next() {
		if err := rows.Scan(r.joinDest...); err != nil {
			return nil, err
		}
		// The rows of a client normally come together; look the client up
		// only when the ID changes.
		if cur < 0 || out[cur].ID != string(r.id.b) {
			i, seen := byID[string(r.id.b)]
			if !seen {
				c, err := r.client()
				if err != nil {
					return nil, err
				}
				if out == nil {
					out = make([]*oauthreg.Client, 0, sizeHint)
				}
				i = len(out)
				out = append(out, c)
				if i == 1 {
					byID = make(map[string]int, sizeHint)
					byID[out[0].ID] = 0
				}
				if byID != nil {
					byID[c.ID] = i
				}
			}
			cur = i
		}
		if !r.secID.valid {
			continue // a client without secrets
		}
		if ordinals != nil {
			ordinals[string(r.secID.b)] = r.secOrdinal.Int64
		}
		r.joined = append(r.joined, joinedSecret{client: cur, ordinal: r.secOrdinal.Int64, s: oauthreg.Secret{
			ID:          string(r.secID.b),
			Kind:        oauthreg.SecretKind(r.secKind.b),
			Hash:        oauthreg.Conceal(string(r.secHash.b)),
			Sealed:      oauthreg.Conceal(string(r.secSealed.b)),
			Hint:        string(r.secHint.b),
			Description: string(r.secDescription.b),
			CreatedAt:   timeFrom(r.secCreated),
			ExpiresAt:   timeFrom(r.secExpires),
			RevokedAt:   timeFrom(r.secRevoked),
			LastUsedAt:  timeFrom(r.secLastUsed),
		}})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	joined := r.joined
	slices.SortFunc(joined, func(a, b joinedSecret) int {
		return cmp.Or(cmp.Compare(a.client, b.client), cmp.Compare(a.ordinal, b.ordinal))
	})
	for start := 0; start < len(joined); {
		end := start + 1
		for end < len(joined) && joined[end].client == joined[start].client {
			end++
		}
		secrets := make([]oauthreg.Secret, end-start)
		for i := range secrets {
			secrets[i] = joined[start+i].s
		}
		out[joined[start].client].Secrets = secrets
		start = end
	}
	slices.SortFunc(out, func(a, b *oauthreg.Client) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// storable reports whether every engine can hold s as text, byte for byte:
// valid UTF-8 without NUL. PostgreSQL refuses anything else with SQLSTATE
// 22021 (even as a query parameter), SQLite's JSON functions would alter
// it. No stored client has an ID, owner or secret ID that is not storable
// (CreateClient and UpdateClient refuse such a client), so a read, touch or
// delete of one is answered ErrNotFound without a query, as for any other
// client that does not exist.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// invalidUTF8 names the first text field of c that is not storable: not
// valid UTF-8, or holding a NUL byte. It runs on every write, so it walks
// the fields in a fixed order without building anything.
func invalidUTF8(c *oauthreg.Client) (string, bool) {
	for _, f := range [...]struct{ name, v string }{
		{"ID", c.ID}, {"Owner", c.Owner}, {"Name", c.Name}, {"Description", c.Description},
		{"TokenEndpointAuthMethod", string(c.TokenEndpointAuthMethod)},
	} {
		if !storable(f.v) {
			return f.name, true
		}
	}
	for _, g := range c.GrantTypes {
		if !storable(string(g)) {
			return "GrantTypes", true
		}
	}
	for _, r := range c.ResponseTypes {
		if !storable(string(r)) {
			return "ResponseTypes", true
		}
	}
	for _, l := range [...]struct {
		name string
		v    []string
	}{{"Scopes", c.Scopes}, {"RedirectURIs", c.RedirectURIs}, {"SystemTags", c.SystemTags}, {"UserTags", c.UserTags}} {
		for _, v := range l.v {
			if !storable(v) {
				return l.name, true
			}
		}
	}
	for k, v := range c.Metadata {
		if !storable(k) || !storable(v) {
			return "Metadata", true
		}
	}
	for _, v := range profileStrings(c) {
		if !storable(v) {
			return "a registration metadata field", true
		}
	}
	for _, sec := range c.Secrets {
		for _, v := range [...]string{sec.ID, string(sec.Kind), sec.Hash.Reveal(), sec.Sealed.Reveal(), sec.Hint, sec.Description} {
			if !storable(v) {
				return "a secret", true
			}
		}
	}
	return "", false
}
