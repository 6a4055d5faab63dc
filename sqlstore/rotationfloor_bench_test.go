package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// BenchmarkRotationFloorVsBaseline times, interleaved with
// BenchmarkRegistryRotateSecretVsBaseline's baseline (a bare versioned
// UPDATE in a transaction), the least SQL a rotation must send when the
// secrets are rows of their own table: that same UPDATE and, in the same
// transaction, one upsert of two secret rows (the new secret, and the
// previous one's new expiry), nothing read, no Registry. Its ratio is the
// floor of RotateSecret's ratio on the engine: the secret rows and their
// two indexes (expiry, secret ID) are written and committed whatever the
// Store does around them.
//
//	go test -run '^$' -bench RotationFloor -benchtime 2s -count 3 ./sqlstore
//
// SQLite and MySQL only: on PostgreSQL a rotation is one statement
// without a transaction (see Store.UpdateClient), a floor of another shape.
func BenchmarkRotationFloorVsBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		conflict := " ON CONFLICT (client_id, secret_id) DO UPDATE SET expires_at = excluded.expires_at WHERE expires_at IS NOT excluded.expires_at"
		switch e.Dialect {
		case sqlstore.Postgres:
			b.Skip("a rotation on PostgreSQL is one statement, not a transaction")
		case sqlstore.MySQL:
			conflict = " ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at)"
		}
		ctx := b.Context()
		db := e.Open(b)
		s := migratedStore(b, db, e.Dialect)
		reg, _ := sqlRegistry(b, s)
		c, _, err := reg.Register(ctx, confidential("floor"))
		if err != nil {
			b.Fatal(err)
		}
		bare, _, err := reg.Register(ctx, confidential("bare"))
		if err != nil {
			b.Fatal(err)
		}
		update, err := db.PrepareContext(ctx, updateClientSQL)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { update.Close() })
		upsert, err := db.PrepareContext(ctx, "INSERT INTO oauthreg_client_secrets (client_id, ordinal, secret_id, kind, hash,"+
			" sealed, hint, description, created_at, expires_at, revoked_at) VALUES"+
			" (?, ?, ?, 'generated', ?, '', 'hint', '', 1, NULL, NULL), (?, ?, ?, 'generated', ?, '', 'hint', '', 1, 5, NULL)"+conflict)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { upsert.Close() })
		cargs := clientRow(b, c)
		cargs = append(cargs[1:clientCols-2:clientCols-2], c.ID, c.Version)
		bargs := clientRow(b, bare)
		bargs = append(bargs[1:clientCols-2:clientCols-2], bare.ID, bare.Version)
		hash := c.Secrets[0].Hash.Reveal()
		n := 0
		paired(b, func() {
			n++
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.StmtContext(ctx, update).ExecContext(ctx, cargs...); err != nil {
				b.Fatal(err)
			}
			cargs[len(cargs)-1] = cargs[len(cargs)-1].(int64) + 1
			if _, err := tx.StmtContext(ctx, upsert).ExecContext(ctx, c.ID, n+1, fmt.Sprintf("new-%d", n), hash, c.ID, n, fmt.Sprintf("new-%d", n-1), hash); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}, func() {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.StmtContext(ctx, update).ExecContext(ctx, bargs...); err != nil {
				b.Fatal(err)
			}
			bargs[len(bargs)-1] = bargs[len(bargs)-1].(int64) + 1
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		})
	})
}
