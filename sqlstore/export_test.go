package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/oauthreg/oauthreg"
)

// MigrateUpTo applies the migrations up to version last only, so upgrade
// tests can fill a database at an earlier schema.
func (s *Store) MigrateUpTo(ctx context.Context, last int64) error { return s.migrateUpTo(ctx, last) }

// ProfileValue lets the benchmarks' baselines encode the profile column as
// the store does.
var ProfileValue = profileValue

// CreateClientWithoutProfile stores c as a release before the profile
// column did: every client column but profile, with the same encodings,
// and the secret rows. The profile fields of c are not stored.
func (s *Store) CreateClientWithoutProfile(ctx context.Context, c *oauthreg.Client) error {
	args, err := clientArgs(c, 1)
	if err != nil {
		return err
	}
	var cols []string
	var old []any
	for i, col := range strings.Split(clientColumns, ", ") {
		if col != "profile" {
			cols = append(cols, col)
			old = append(old, args[i])
		}
	}
	q := "INSERT INTO " + s.clientsTable + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ")"
	if s.dialect == Postgres {
		q = rebind(q)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, q, old...); err != nil {
			return err
		}
		return s.writeSecrets(ctx, tx, c.ID, c.Secrets)
	})
}
