package sqlstore

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"
)

// maxUsedAssertionKey bounds the client ID and the jti UseOnce stores.
const maxUsedAssertionKey = 255

// UseOnce records that clientID used the assertion ID jti, valid until
// expiresAt, and reports whether this is its first use: false when the pair
// is already recorded with an expiry after the database server's current
// time (judged by this process's clock, passed as a parameter). It is one
// INSERT whose conflict on the primary key (client_id, jti) decides, so of
// any number of concurrent calls — from any number of processes sharing the
// database — at most one returns true for a pair that is live. An expired
// row is taken over by the same statement.
//
// It implements clientauth.ReplayCache: give the Store to
// clientauth.WithReplayCache so that every server replica refuses an
// assertion another replica accepted. Rows stay until PurgeUsedAssertions
// removes them. clientID and jti are 1 to 255 bytes of UTF-8.
func (s *Store) UseOnce(ctx context.Context, clientID, jti string, expiresAt time.Time) (bool, error) {
	for _, v := range [...]string{clientID, jti} {
		if v == "" || len(v) > maxUsedAssertionKey || !utf8.ValidString(v) {
			return false, errors.New("sqlstore: UseOnce: client ID and jti must be 1 to 255 bytes of UTF-8")
		}
	}
	table := s.prefix + "used_assertions"
	now := time.Now().UnixMicro()
	var q string
	args := []any{clientID, jti, expiresAt.UnixMicro(), now}
	switch s.dialect {
	case MySQL:
		// Affected rows: 1 inserted, 2 an expired row taken over, 0 a live
		// row left alone.
		q = "INSERT INTO " + table + " (client_id, jti, expires_at) VALUES (?, ?, ?)" +
			" ON DUPLICATE KEY UPDATE expires_at = IF(expires_at <= ?, VALUES(expires_at), expires_at)"
	case Postgres:
		q = "INSERT INTO " + table + " AS u (client_id, jti, expires_at) VALUES ($1, $2, $3)" +
			" ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE u.expires_at <= $4"
	default:
		q = "INSERT INTO " + table + " (client_id, jti, expires_at) VALUES (?, ?, ?)" +
			" ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE " + table + ".expires_at <= ?"
	}
	var first bool
	err := s.retry(ctx, func() error {
		res, err := s.db.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		first = n > 0
		return nil
	})
	if err != nil {
		return false, opError("use assertion of client", clientID, err)
	}
	return first, nil
}

// PurgeUsedAssertions deletes the used-assertion records that expired
// before the given time, and returns how many. Run it from a periodic job
// (an expired record no longer blocks anything; it only takes space).
func (s *Store) PurgeUsedAssertions(ctx context.Context, before time.Time) (int64, error) {
	q := "DELETE FROM " + s.prefix + "used_assertions WHERE expires_at < ?"
	if s.dialect == Postgres {
		q = rebind(q)
	}
	var n int64
	err := s.retry(ctx, func() error {
		res, err := s.db.ExecContext(ctx, q, before.UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, opError("purge used assertions before", before.UTC().Format(time.RFC3339), err)
	}
	return n, nil
}
