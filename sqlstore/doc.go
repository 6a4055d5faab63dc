// Package sqlstore is an oauthreg.Store over database/sql, for SQLite,
// PostgreSQL and MySQL or MariaDB. It works with the driver you already use
// and imports none itself:
//
//	db, err := sql.Open("sqlite", "file:oauthreg.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)")
//	store, err := sqlstore.New(db, sqlstore.SQLite)
//	err = store.Migrate(ctx) // creates or upgrades the tables; safe to call at every start
//	reg, err := oauthreg.New(store)
//
// # Engines and drivers
//
//   - SQLite 3.38+: modernc.org/sqlite (pure Go, driver name "sqlite"),
//     github.com/ncruces/go-sqlite3 or github.com/mattn/go-sqlite3 (cgo).
//   - PostgreSQL 11+: github.com/jackc/pgx/v5/stdlib (driver name "pgx", or
//     stdlib.OpenDB) or github.com/lib/pq. Tables go into the first schema of
//     the connection's search_path.
//   - MySQL 8.0+ and MariaDB 10.6+: github.com/go-sql-driver/mysql. No DSN
//     parameter is required: times are stored as integers, so parseTime does
//     not matter, and statements are sent one at a time, so multiStatements
//     is not needed.
//
// Errors are recognised by the driver's error codes (SQLSTATE for pgx and
// lib/pq, the extended result code for the SQLite drivers, the error number
// for MySQL), never by their messages.
//
// # SQLite settings
//
// SQLite's defaults differ between drivers and are not right for a shared
// store; set these four in the DSN, so that every connection of the pool gets
// them:
//
//   - busy_timeout(10000): a writer waits up to 10 s for another writer
//     instead of failing at once with SQLITE_BUSY. Without it, concurrent
//     writes fail after the Store's few retries (ErrRetriesExhausted).
//   - journal_mode(WAL): readers do not block the writer nor the writer the
//     readers; Authenticate never waits for an admin's update. WAL is
//     persistent: it stays on for the database file once set.
//   - foreign_keys(1): enforces the secrets' reference to their client.
//     The Store deletes a client's secrets itself, so it stays consistent
//     even without it, but other writers to the tables are checked only with
//     it.
//   - synchronous(NORMAL): with WAL, a commit is durable against a crash of
//     the process and loses at most the last transactions on a power loss,
//     at a fraction of FULL's cost. Use FULL if every commit must survive a
//     power loss. Set it explicitly: drivers ship different defaults.
//
// With modernc.org/sqlite and github.com/ncruces/go-sqlite3 each setting is a
// _pragma parameter, applied to every new connection:
//
//	file:/var/lib/app/oauthreg.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)
//
// With github.com/mattn/go-sqlite3:
//
//	file:/var/lib/app/oauthreg.db?_busy_timeout=10000&_journal_mode=WAL&_foreign_keys=1&_synchronous=NORMAL
//
// An in-memory database (":memory:") is private to one connection: for
// tests, prefer a file in a temporary directory, or call db.SetMaxOpenConns(1).
//
// On every engine, raise the pool's idle connections to about the number of
// requests a server answers at once (db.SetMaxIdleConns): database/sql keeps
// 2 by default, and beyond that a connection is closed after its query and
// a new one opened for the next, which on SQLite (open the file, set the
// pragmas, prepare again) cut a token endpoint's throughput by 2 to 3 times
// under 16 concurrent requests (scripts/load.sh).
//
// # Schema
//
// Migrate creates three tables, named with a prefix (DefaultTablePrefix,
// "oauthreg_", unless WithTablePrefix says otherwise):
//
//   - <prefix>clients: one row per client; primary key id; an index on
//     (owner, id) for listing by owner. Its profile column (schema version
//     4) holds, as one JSON object, the client metadata no query filters
//     on: the RFC 7591 and OpenID Connect registration fields, audience,
//     CORS origins, response modes, token lifetimes per grant,
//     language-tagged members and kept extensions; NULL for a client that
//     sets none of them, so the token endpoint's read decodes nothing
//     more for such a client. MEDIUMTEXT on MySQL, text elsewhere (not
//     jsonb: a JWK Set comes back byte for byte).
//   - <prefix>client_secrets: one row per secret; primary key (client_id,
//     secret_id); an ordinal column that keeps Client.Secrets in order; a
//     foreign key to the client with ON DELETE CASCADE; an index on
//     (expires_at, client_id, secret_id) of the unrevoked secrets, so that
//     SecretsExpiring is a range scan across all clients.
//   - <prefix>schema_migrations: the applied migration versions.
//
// IDs compare in byte order on every engine: COLLATE "C" on PostgreSQL,
// VARBINARY on MySQL (whose _bin collations ignore trailing spaces), SQLite's
// default BINARY collation. Times are unix microseconds (UTC) in 64-bit
// integer columns, NULL for the zero time; durations are nanoseconds. Lists,
// Metadata and RotationPolicy are JSON text, NULL for nil. Nothing is stored
// but what the Client holds: secrets only as the hashes (and sealed values)
// the Registry put there.
//
// The migrations are plain SQL files, embedded in the package and readable in
// its source tree (sqlstore/migrations/<dialect>/NNNN_name.sql) or through
// Migrations. They name tables and indexes with the default prefix; Migrate
// substitutes the configured one. Each directory is, unchanged, a goose
// migration directory (the files carry goose's "-- +goose Up" annotation)
// and an atlas versioned-migration directory (with its atlas.sum); both tools
// are run on every engine by the tests in internal/migrationcheck. With
// WithGooseTable, Migrate and goose share what has been applied, so either
// can take over from the other; see the README's "Migrations with goose or
// atlas".
// Version 4 adds a column with ALTER TABLE: on MySQL, which has no ADD
// COLUMN IF NOT EXISTS, Migrate counts error 1060 (the column exists, from a
// run interrupted after the ALTER) as done; another tool must do the same.
//
// # Transactions, retries and errors
//
// Every call passes its context to the driver. A client and its secrets are
// one aggregate: CreateClient and UpdateClient write them atomically (one
// statement on PostgreSQL, one transaction elsewhere), and UpdateClient
// checks the version optimistically in the same UPDATE that locks the row.
// UpdateClient writes only what changed: the new and changed secret rows
// in one upsert, the removed ones, the tags that changed; a row that did
// not change is not rewritten. On SQLite and MySQL its transaction reads
// the stored secret and tag rows after that UPDATE, under the lock (on
// SQLite the database's write lock, taken by the first statement as BEGIN
// IMMEDIATE would take it, so a concurrent writer makes it wait, not fail).
// The Registry changes clients through ModifyClient
// (oauthreg.ClientModifier), which on SQLite and MySQL reads, changes and
// writes the client in one such transaction, the read being the statement
// that locks the client: a rotation is BEGIN, three statements and COMMIT.
// On PostgreSQL it is GetClient and UpdateClient's one statement; a
// version conflict there is retried by the Registry.
// GetClient and ListClients read a client with its secrets in one query. On
// SQLite and PostgreSQL that is the client row with the secrets aggregated
// into one JSON column (json_group_array, json_agg), which measured faster
// there than a join that repeats the client's columns for every secret. On
// MySQL and MariaDB it is that join, without ORDER BY, grouped and ordered
// in Go: MariaDB computes JSON_ARRAYAGG in an on-disk temporary table at
// every execution, while the join needs none (ListClients joins a derived
// table of the page's IDs, which stays in memory).
// TouchClient, the last-used write of Authenticate, is a small UPDATE of the
// two timestamps that leaves the version alone.
//
// When the database reports a serialization failure, a deadlock, a lock wait
// timeout or a busy SQLite database, the Store runs the whole call again, up
// to WithMaxAttempts times with a short jittered backoff, then returns an
// error matching ErrRetriesExhausted that also unwraps to the driver's error.
// A duplicate client ID is oauthreg.ErrAlreadyExists, a stale version
// oauthreg.ErrConflict.
//
// A lost connection (a terminated backend, a server shutting down or
// restarting, a reset or refused TCP connection, a killed MySQL connection)
// matches oauthreg.ErrUnavailable: answer 503. Reads, and transactions cut
// before their COMMIT (which the server rolled back), are run again within
// WithMaxAttempts. A write that reached the server before the connection
// was lost (an autocommit statement, a COMMIT) is never blindly repeated:
// the Store rereads the client and repeats the write only when it provably
// was not applied (the version guards it from being applied twice); a
// create or delete it finds applied succeeds; otherwise the error is
// ErrOutcomeUnknown. Measured with pg_terminate_backend and KILL CONNECTION
// of the test's own connections every 15ms under 8 concurrent callers
// (TestConnectionLossPostgres and TestConnectionLossMySQL): every error is
// typed.
//
// On MySQL and MariaDB, transactions run at the server's default isolation
// (REPEATABLE READ); concurrent rotations of clients with neighbouring IDs
// can then meet on InnoDB gap locks and deadlock, which the retries absorb.
// Setting transaction_isolation to READ-COMMITTED (with go-sql-driver/mysql:
// ?transaction_isolation=%27READ-COMMITTED%27 in the DSN) avoids gap locks.
package sqlstore
