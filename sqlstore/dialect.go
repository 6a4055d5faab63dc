package sqlstore

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// Dialect names the SQL engine behind the *sql.DB given to New. It decides
// the placeholders, the schema and the few statements that differ between
// engines; the driver itself is the caller's choice.
type Dialect int

const (
	// SQLite 3.38 or later (JSON functions built in), for example with modernc.org/sqlite (driver name
	// "sqlite"), github.com/ncruces/go-sqlite3 or github.com/mattn/go-sqlite3.
	// See the package documentation for the settings to put in the DSN.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL 11 or later, for example with
	// github.com/jackc/pgx/v5/stdlib (driver name "pgx") or github.com/lib/pq.
	Postgres
	// MySQL is MySQL 8.0 or later, or MariaDB 10.6 or later, with
	// github.com/go-sql-driver/mysql. InnoDB tables; no DSN option is
	// required (parseTime and multiStatements are not used).
	MySQL
)

// String returns the dialect's name: "sqlite", "postgres" or "mysql".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	case MySQL:
		return "mysql"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) valid() bool { return d == SQLite || d == Postgres || d == MySQL }

// The columns, in the order every statement reads and writes them.
const (
	clientColumns = "id, owner, name, description, grant_types, response_types, scopes, redirect_uris, " +
		"token_endpoint_auth_method, is_public, access_token_ttl, refresh_token_ttl, is_disabled, " +
		"system_tags, user_tags, metadata, rotation_policy, profile, created_at, updated_at, last_used_at, version"
	numClientColumns = 22
	secretColumns    = "secret_id, kind, hash, sealed, hint, description, created_at, expires_at, revoked_at, last_used_at"
	numSecretColumns = 10
	// A secret row as inserted: its client, its position, then secretColumns.
	numSecretInsertColumns = numSecretColumns + 2
)

// updateColumns are the client columns UpdateClient sets: all but id,
// version and last_used_at (which only TouchClient writes).
func updateColumns() []string {
	cols := strings.Split(clientColumns, ", ")
	return cols[1 : numClientColumns-2]
}

// secretUpdateColumns are the secret columns UpdateClient writes into a row
// that exists already: all but last_used_at.
func secretUpdateColumns() []string {
	cols := strings.Split(secretColumns, ", ")
	return append([]string{"ordinal"}, cols[:numSecretColumns-1]...)
}

// secretsAggregate returns the subquery that aggregates the secrets of the
// client c into a JSON array of arrays (NULL or [] when it has none). It
// serves SQLite and PostgreSQL; MySQL reads a join instead (see
// joinedSecretColumns).
func secretsAggregate(d Dialect, secrets string) string {
	cols := append([]string{"ordinal"}, strings.Split(secretColumns, ", ")...)
	for i, col := range cols {
		cols[i] = "s." + col
		if d == MySQL && col == "secret_id" {
			// A VARBINARY would become a base64 "binary" JSON string.
			cols[i] = "CONVERT(s.secret_id USING utf8mb4)"
		}
	}
	list := strings.Join(cols, ", ")
	where := " FROM " + secrets + " s WHERE s.client_id = c.id"
	switch d {
	case Postgres:
		return "SELECT json_agg(json_build_array(" + list + "))::text" + where
	case MySQL:
		return "SELECT JSON_ARRAYAGG(JSON_ARRAY(" + list + "))" + where
	default:
		return "SELECT json_group_array(json_array(" + list + "))" + where
	}
}

// joinedSecretColumns are the secret columns of the MySQL client queries,
// which join the client row with its secret rows: the ordinal, then
// secretColumns, all NULL for a client without secrets.
const joinedSecretColumns = "s.ordinal, s.secret_id, s.kind, s.hash, s.sealed, s.hint, s.description, " +
	"s.created_at, s.expires_at, s.revoked_at, s.last_used_at"

// prefixed returns "alias.col" for every column of a comma-separated list.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

// queries are the SQL texts of one Store, built once by New for its dialect
// and table names.
type queries struct {
	get, insertClient, updateClient, version    string
	deleteClient, deleteClientAt, deleteSecrets string
	touchClient, touchSecret                    string                  // touchSecret is empty where touchClient does both
	list                                        [numListVariants]string // index: the filters (listOwner, ...)
	expiring                                    string
	locate                                      string // the clients holding a secret ID
	deleteTags                                  string
	bumpVersion, readRows                       string // UpdateClient on SQLite and MySQL (see updateTx)
	modifyRead                                  string // ModifyClient on SQLite and MySQL (see modifyTx)

	// PostgreSQL only: CreateClient and UpdateClient as one statement
	// each, the secrets passed as one JSON parameter (see secretsJSON).
	pgCreate, pgUpdate string
}

func buildQueries(d Dialect, clients, secrets, tags string) queries {
	var q queries
	// On SQLite and PostgreSQL a client is read as its row plus one
	// column: its secrets as a JSON array of arrays, [ordinal, secret_id,
	// kind, ..., last_used_at], in no particular order (scanClients sorts
	// them by ordinal). One row per client is cheaper to fetch there than
	// a join that repeats the client's columns for every secret (see the
	// package benchmarks). MySQL reads the join instead (below).
	withSecrets := "SELECT " + prefixed("c", clientColumns) + ", (" + secretsAggregate(d, secrets) + ")"
	// GetClient costs the same whether the client exists or not, so that
	// the time of an authentication does not tell which client IDs exist:
	// it always reads and decodes one client, the one asked for or, when
	// there is none, the next in ID order (the first one past the end).
	// Both are one index seek for the scalar subquery and one lookup of
	// the client and its secrets; GetClient then compares IDs.
	getTarget := "COALESCE((SELECT n.id FROM " + clients + " n WHERE n.id >= ? ORDER BY n.id LIMIT 1), " +
		"(SELECT MIN(f.id) FROM " + clients + " f))"
	q.get = withSecrets + " FROM " + clients + " c WHERE c.id = " + getTarget
	if d == MySQL {
		// MariaDB materialises JSON_ARRAYAGG (GROUP_CONCAT's machinery,
		// a LONGTEXT result) in an on-disk temporary table at every
		// execution, which costs several times the lookup itself. A plain
		// join of the client row with its secret rows, without ORDER BY
		// or aggregate, needs no temporary table: one result row per
		// secret (one with NULL secret columns for a client without
		// secrets), which scanJoined groups and orders in Go.
		q.get = "SELECT " + prefixed("c", clientColumns) + ", " + joinedSecretColumns +
			" FROM " + clients + " c LEFT JOIN " + secrets + " s ON s.client_id = c.id WHERE c.id = " + getTarget
	}
	q.insertClient = "INSERT INTO " + clients + " (" + clientColumns + ") VALUES (" + placeholders(numClientColumns) + ")"
	q.updateClient = "UPDATE " + clients + " SET " + strings.Join(updateColumns(), " = ?, ") + " = ?, version = version + 1" +
		" WHERE id = ? AND version = ?"
	q.version = "SELECT version FROM " + clients + " WHERE id = ?"
	q.deleteClient = "DELETE FROM " + clients + " WHERE id = ?"
	q.deleteClientAt = "DELETE FROM " + clients + " WHERE id = ? AND version = ?"
	q.deleteSecrets = "DELETE FROM " + secrets + " WHERE client_id = ?"
	// UpdateClient on SQLite starts with the versioned UPDATE of the
	// version and updated_at where every other column is unchanged; both
	// engines then read the secret and tag rows (see updateTx).
	cols := updateColumns()
	q.bumpVersion = "UPDATE " + clients + " SET version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND " +
		strings.Join(cols[:len(cols)-1], " IS ? AND ") + " IS ?"
	q.readRows = "SELECT 0, ordinal, secret_id, kind, hash, sealed, hint, description, created_at, expires_at, revoked_at FROM " +
		secrets + " WHERE client_id = ? UNION ALL SELECT 1, NULL, tag, kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM " +
		tags + " WHERE client_id = ?"

	// ModifyClient on SQLite and MySQL locks the client row and reads the
	// client with its secrets in its first statement (see modifyTx). On
	// SQLite it is a write, so that the transaction takes the write lock
	// before it reads: the version's increment, the client's columns as
	// GetClient reads them, RETURNING the new version.
	// (RETURNING does not see an alias of the table: its own name is used.)
	q.modifyRead = "UPDATE " + clients + " SET version = version + 1 WHERE id = ? RETURNING " +
		prefixed(clients, clientColumns) + ", (" +
		strings.Replace(secretsAggregate(d, secrets), "= c.id", "= "+clients+".id", 1) + ")"
	if d == MySQL {
		q.modifyRead = "SELECT " + prefixed("c", clientColumns) + ", " + joinedSecretColumns +
			" FROM " + clients + " c LEFT JOIN " + secrets + " s ON s.client_id = c.id WHERE c.id = ? FOR UPDATE"
	}

	switch d {
	case Postgres:
		// One statement. The client row is locked before the secret row,
		// in the same order as UpdateClient, so the two cannot deadlock.
		q.touchClient = "WITH c AS (UPDATE " + clients + " SET last_used_at = ? WHERE id = ? RETURNING id)," +
			" s AS (UPDATE " + secrets + " SET last_used_at = ? FROM c WHERE " + secrets + ".client_id = c.id AND " +
			secrets + ".secret_id = ?) SELECT count(*) FROM c"
	case MySQL:
		// One multi-table statement; the client row is read, and locked,
		// first. RowsAffected counts changed rows, so 0 is ambiguous and
		// is followed by an existence check.
		q.touchClient = "UPDATE " + clients + " c LEFT JOIN " + secrets + " s ON s.client_id = c.id AND s.secret_id = ?" +
			" SET c.last_used_at = ?, s.last_used_at = ? WHERE c.id = ?"
	case SQLite:
		// SQLite's UPDATE changes one table: two statements in one
		// transaction (in-process, so no extra round trip).
		q.touchClient = "UPDATE " + clients + " SET last_used_at = ? WHERE id = ?"
		q.touchSecret = "UPDATE " + secrets + " SET last_used_at = ? WHERE client_id = ? AND secret_id = ?"
	}

	for i := range q.list {
		q.list[i] = listQuery(d, clients, secrets, tags, i)
	}
	q.locate = "SELECT DISTINCT client_id FROM " + secrets + " WHERE secret_id = ? ORDER BY client_id LIMIT " +
		strconv.Itoa(oauthreg.MaxSecretLocatorResults)
	q.deleteTags = "DELETE FROM " + tags + " WHERE client_id = ?"

	q.expiring = "SELECT s.client_id, c.owner, s.secret_id, s.hint, s.expires_at FROM " + secrets + " s" +
		" JOIN " + clients + " c ON c.id = s.client_id" +
		" WHERE s.revoked_at IS NULL AND s.expires_at > ? AND s.expires_at <= ?" +
		" ORDER BY s.expires_at, s.client_id, s.secret_id"

	if d == Postgres {
		// The new secret rows, from the last parameter.
		rows := "SELECT * FROM json_to_recordset(?::text::json) AS x(ordinal integer, secret_id text, kind text," +
			" hash text, sealed text, hint text, description text, created_at bigint, expires_at bigint," +
			" revoked_at bigint, last_used_at bigint)"
		insertRows := "INSERT INTO " + secrets + " (client_id, ordinal, " + secretColumns + ")" +
			" SELECT c.id, n.ordinal, " + prefixed("n", secretColumns) + " FROM c CROSS JOIN n"
		// The client's tags, from the parameter after the secrets (see
		// tagsJSON), as rows of the tags table.
		tagRows := "SELECT * FROM json_to_recordset(?::text::json) AS x(kind text, tag text)"
		insertTags := "INSERT INTO " + tags + " (kind, tag, client_id) SELECT nt.kind, nt.tag, c.id FROM c CROSS JOIN nt"
		q.pgCreate = "WITH c AS (" + q.insertClient + " RETURNING id), n AS (" + rows + "), nt AS (" + tagRows + ")," +
			" ti AS (" + insertTags + ") " + insertRows
		// An updated client's new secrets start without last_used_at, and
		// the present ones keep theirs.
		upsertCols := strings.Join(secretUpdateColumns(), ", ")
		upsertRows := "INSERT INTO " + secrets + " (client_id, " + upsertCols + ")" +
			" SELECT c.id, " + prefixed("n", upsertCols) + " FROM c CROSS JOIN n"
		// The versioned UPDATE locks the client row first; the secret rows
		// are then upserted and the ones no longer there deleted (the two
		// sets are disjoint, as one statement requires). All parts see the
		// snapshot of the statement's start, so the last SELECT returns
		// the version before the update, or nothing if there is no client.
		// Rows whose values did not change are left alone: no new row
		// version, no index entries.
		var sets, olds, news []string
		for _, col := range secretUpdateColumns() {
			if col != "secret_id" {
				sets = append(sets, col+" = EXCLUDED."+col)
				olds = append(olds, secrets+"."+col)
				news = append(news, "EXCLUDED."+col)
			}
		}
		updateSets := "DO UPDATE SET " + strings.Join(sets, ", ") +
			" WHERE (" + strings.Join(olds, ", ") + ") IS DISTINCT FROM (" + strings.Join(news, ", ") + ")"
		// A kept secret keeps its stored ordinal when the order allows
		// it, as diffSecrets does on the other engines, so that removing
		// the oldest secret does not rewrite the others: with i the
		// position of a secret and old its stored ordinal, the ordinal
		// is i + max(0, max(old_j - j) over the kept secrets j <= i),
		// which is diffSecrets' "the stored one if above the previous
		// one's, else the previous one's + 1"; past maxOrdinal, every
		// secret is numbered by its position.
		var newCols []string
		for _, col := range strings.Split(secretColumns, ", ") {
			newCols = append(newCols, "x."+col)
		}
		keptOrdinals := "SELECT " + strings.Join(newCols, ", ") + ", x.ordinal," +
			" x.ordinal::bigint + GREATEST(0, MAX(o.ordinal::bigint - x.ordinal) OVER (ORDER BY x.ordinal)) AS kept" +
			" FROM (" + rows + ") x LEFT JOIN " + secrets + " o ON o.client_id = (SELECT c.id FROM c)" +
			" AND o.secret_id = x.secret_id COLLATE \"C\""
		ordered := "SELECT " + secretColumns + ", CASE WHEN MAX(kept) OVER () > " + strconv.Itoa(maxOrdinal) +
			" THEN ordinal ELSE kept END AS ordinal FROM (" + keptOrdinals + ") k"
		q.pgUpdate = "WITH c AS (" + q.updateClient + " RETURNING id), n AS (" + ordered + ")," +
			" d AS (DELETE FROM " + secrets + " s USING c WHERE s.client_id = c.id" +
			" AND s.secret_id NOT IN (SELECT n.secret_id COLLATE \"C\" FROM n))," +
			" i AS (" + upsertRows + " ON CONFLICT (client_id, secret_id) " + updateSets + ")," +
			" nt AS (" + tagRows + ")," +
			" td AS (DELETE FROM " + tags + " t USING c WHERE t.client_id = c.id" +
			" AND (t.kind, t.tag) NOT IN (SELECT nt.kind, nt.tag COLLATE \"C\" FROM nt))," +
			" ti AS (" + insertTags + " ON CONFLICT DO NOTHING)" +
			" SELECT (SELECT count(*) FROM c), (SELECT version FROM " + clients + " WHERE id = ?)"
		q.pgCreate = rebind(q.pgCreate)
		q.pgUpdate = rebind(q.pgUpdate)

		q.get = rebind(q.get)
		q.insertClient = rebind(q.insertClient)
		q.updateClient = rebind(q.updateClient)
		q.version = rebind(q.version)
		q.deleteClient = rebind(q.deleteClient)
		q.deleteClientAt = rebind(q.deleteClientAt)
		q.deleteSecrets = rebind(q.deleteSecrets)
		q.touchClient = rebind(q.touchClient)
		q.locate = rebind(q.locate)
		q.deleteTags = rebind(q.deleteTags)
		q.expiring = rebind(q.expiring)
	}
	return q
}

// insertSecretsQuery returns the INSERT of n secret rows.
func insertSecretsQuery(d Dialect, secrets string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + secrets + " (client_id, ordinal, " + secretColumns + ") VALUES ")
	row := "(" + placeholders(numSecretInsertColumns) + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	if d == Postgres {
		return rebind(b.String())
	}
	return b.String()
}

// upsertSecretsQuery returns the statement that writes n secret rows of an
// updated client: new rows are inserted without last_used_at, present rows
// get every column but last_used_at.
func upsertSecretsQuery(d Dialect, secrets string, n int) string {
	cols := secretUpdateColumns()
	var b strings.Builder
	b.WriteString("INSERT INTO " + secrets + " (client_id, " + strings.Join(cols, ", ") + ") VALUES ")
	row := "(" + placeholders(len(cols)+1) + ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	var sets, changed []string
	for _, col := range cols {
		if col == "secret_id" {
			continue
		}
		if d == MySQL {
			sets = append(sets, col+" = VALUES("+col+")")
		} else {
			sets = append(sets, col+" = excluded."+col)
			changed = append(changed, col+" IS NOT excluded."+col)
		}
	}
	if d == MySQL {
		// InnoDB skips the write of a row whose values do not change.
		b.WriteString(" ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", "))
	} else {
		// Rows whose values did not change are left alone.
		b.WriteString(" ON CONFLICT (client_id, secret_id) DO UPDATE SET " + strings.Join(sets, ", ") +
			" WHERE " + strings.Join(changed, " OR "))
	}
	if d == Postgres {
		return rebind(b.String())
	}
	return b.String()
}

// deleteSomeSecretsQuery returns the DELETE of n given secret rows (n > 0)
// of a client.
func deleteSomeSecretsQuery(d Dialect, secrets string, n int) string {
	q := "DELETE FROM " + secrets + " WHERE client_id = ? AND secret_id IN (" + placeholders(n) + ")"
	if d == Postgres {
		return rebind(q)
	}
	return q
}

// deleteSomeTagsQuery returns the DELETE of n given tag rows (n > 0) of a
// client, each given by its kind and tag.
func deleteSomeTagsQuery(d Dialect, tags string, n int) string {
	q := "DELETE FROM " + tags + " WHERE client_id = ? AND (" +
		strings.TrimSuffix(strings.Repeat("(kind = ? AND tag = ?) OR ", n), " OR ") + ")"
	if d == Postgres {
		return rebind(q)
	}
	return q
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// rebind turns the ? placeholders of q into PostgreSQL's $1, $2, ... Our
// statements have no ? inside literals.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// validPrefix reports whether p can start our table names on every engine.
func validPrefix(p string) error {
	if len(p) > 32 {
		return fmt.Errorf("sqlstore: table prefix %q is longer than 32 bytes", oauthreg.SanitizeInput(p))
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '_' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return fmt.Errorf("sqlstore: table prefix %q: only lower-case ASCII letters, digits and _ are allowed (no digit first)", oauthreg.SanitizeInput(p))
	}
	return nil
}
