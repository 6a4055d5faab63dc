package sqlstore_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// Benchmarks of the Store next to baselines of raw SQL on the same rows with
// the same driver. Run them with
//
//	go test -run '^$' -bench . -benchtime 2s ./sqlstore/
//
// (with OAUTHREG_TEST_POSTGRES / OAUTHREG_TEST_MYSQL set for the servers).
// Targets: GetClient within 1.3x of its baseline on SQLite and 1.2x on
// PostgreSQL; UpdateClient of a rotation within 1.5x of a bare versioned
// UPDATE in a transaction; a ListClients page 1,000 pages deep within 1.2x of
// the first page, at 100,000 clients.

// forEachBenchEngine runs f per engine; unconfigured engines skip.
func forEachBenchEngine(b *testing.B, f func(b *testing.B, e testdb.Engine)) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			e.Require(b)
			f(b, e)
		})
	}
}

func rebindFor(d sqlstore.Dialect, q string) string {
	if d != sqlstore.Postgres {
		return q
	}
	var out strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&out, "$%d", n)
			continue
		}
		out.WriteRune(c)
	}
	return out.String()
}

// getClientSQL is the point lookup of a client and its secrets by a join.
const getClientSQL = `SELECT c.id, c.owner, c.name, c.description, c.grant_types, c.response_types, c.scopes,
 c.redirect_uris, c.token_endpoint_auth_method, c.is_public, c.access_token_ttl, c.refresh_token_ttl, c.is_disabled,
 c.system_tags, c.user_tags, c.metadata, c.rotation_policy, c.profile, c.created_at, c.updated_at, c.last_used_at, c.version,
 s.secret_id, s.kind, s.hash, s.sealed, s.hint, s.description, s.created_at, s.expires_at, s.revoked_at, s.last_used_at
 FROM oauthreg_clients c LEFT JOIN oauthreg_client_secrets s ON s.client_id = c.id WHERE c.id = ? ORDER BY s.ordinal`

// clientCols is the number of columns of a client row, which the queries
// below select first.
const clientCols = 22

// updateClientSQL is the versioned UPDATE of a client row that UpdateClient
// runs (every column but last_used_at).
const updateClientSQL = `UPDATE oauthreg_clients SET owner = ?, name = ?, description = ?, grant_types = ?,
 response_types = ?, scopes = ?, redirect_uris = ?, token_endpoint_auth_method = ?, is_public = ?, access_token_ttl = ?,
 refresh_token_ttl = ?, is_disabled = ?, system_tags = ?, user_tags = ?, metadata = ?, rotation_policy = ?,
 profile = ?, created_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`

// updateArgs encodes c for updateClientSQL as the store does.
func updateArgs(c *oauthreg.Client) []any {
	list := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	profile, err := sqlstore.ProfileValue(c)
	if err != nil {
		panic(err)
	}
	return []any{c.Owner, c.Name, c.Description, list(c.GrantTypes), list(c.ResponseTypes), list(c.Scopes),
		list(c.RedirectURIs), string(c.TokenEndpointAuthMethod), c.Public, int64(c.AccessTokenTTL), int64(c.RefreshTokenTTL),
		c.Disabled, list(c.SystemTags), list(c.UserTags), list(c.Metadata), list(c.RotationPolicy), profile,
		c.CreatedAt.UnixMicro(), c.UpdatedAt.UnixMicro(), c.ID, c.Version}
}

// authClient is what the token endpoint reads: a confidential client in the
// middle of a rotation (two active secrets, one revoked).
func authClient(id string) *oauthreg.Client { return storetest.NewClient(id) }

// joinedSQL is the query GetClient runs on MySQL: the client row joined
// with its secret rows, with no ORDER BY (the store orders the secrets by
// ordinal in Go).
const joinedSQL = `SELECT c.id, c.owner, c.name, c.description, c.grant_types, c.response_types, c.scopes,
 c.redirect_uris, c.token_endpoint_auth_method, c.is_public, c.access_token_ttl, c.refresh_token_ttl, c.is_disabled,
 c.system_tags, c.user_tags, c.metadata, c.rotation_policy, c.profile, c.created_at, c.updated_at, c.last_used_at, c.version,
 s.ordinal, s.secret_id, s.kind, s.hash, s.sealed, s.hint, s.description, s.created_at, s.expires_at, s.revoked_at, s.last_used_at
 FROM oauthreg_clients c LEFT JOIN oauthreg_client_secrets s ON s.client_id = c.id WHERE c.id = ?`

// aggregateSQL is the query GetClient runs on SQLite and PostgreSQL (and
// ran on MySQL before it switched to joinedSQL): the client row with its
// secrets aggregated into one JSON column.
func aggregateSQL(d sqlstore.Dialect) string {
	cols := "s.ordinal, s.secret_id, s.kind, s.hash, s.sealed, s.hint, s.description, s.created_at, s.expires_at, s.revoked_at, s.last_used_at"
	agg := "json_group_array(json_array(" + cols + "))"
	switch d {
	case sqlstore.Postgres:
		agg = "json_agg(json_build_array(" + cols + "))::text"
	case sqlstore.MySQL:
		agg = "JSON_ARRAYAGG(JSON_ARRAY(" + strings.Replace(cols, "s.secret_id", "CONVERT(s.secret_id USING utf8mb4)", 1) + "))"
	}
	return rebindFor(d, `SELECT c.id, c.owner, c.name, c.description, c.grant_types, c.response_types, c.scopes,
 c.redirect_uris, c.token_endpoint_auth_method, c.is_public, c.access_token_ttl, c.refresh_token_ttl, c.is_disabled,
 c.system_tags, c.user_tags, c.metadata, c.rotation_policy, c.profile, c.created_at, c.updated_at, c.last_used_at, c.version,
 (SELECT `+agg+` FROM oauthreg_client_secrets s WHERE s.client_id = c.id) FROM oauthreg_clients c WHERE c.id = ?`)
}

// BenchmarkGetClient compares GetClient, what Authenticate reads, with raw
// prepared lookups of the same rows with the same driver, scanned into
// sql.RawBytes without any decoding:
//
//   - vs-join: the client row joined with its secret rows (one result row
//     per secret), the obvious point lookup;
//   - vs-same-query: the very query GetClient runs (the client row with its
//     secrets aggregated as JSON; on MySQL the join without ORDER BY), so
//     the ratio is the cost of decoding;
//   - vs-aggregate (MySQL only): the JSON_ARRAYAGG query GetClient ran
//     before, which MariaDB answers with an on-disk temporary table.
func BenchmarkGetClient(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		s, db := newStore(b, e)
		ctx := b.Context()
		const n = 1000
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("client-%04d", i)
			if err := s.CreateClient(ctx, authClient(ids[i])); err != nil {
				b.Fatal(err)
			}
		}
		type benchCase struct {
			name, query string
			rows, cols  int
		}
		cases := []benchCase{
			{"vs-join", rebindFor(e.Dialect, getClientSQL), 3, clientCols + 10},
			{"vs-same-query", aggregateSQL(e.Dialect), 1, clientCols + 1},
		}
		if e.Dialect == sqlstore.MySQL {
			cases[1] = benchCase{"vs-same-query", joinedSQL, 3, clientCols + 11}
			cases = append(cases, benchCase{"vs-aggregate", aggregateSQL(e.Dialect), 1, clientCols + 1})
		}
		for _, bc := range cases {
			b.Run(bc.name, func(b *testing.B) {
				st, err := db.PrepareContext(ctx, bc.query)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				raw := make([]sql.RawBytes, bc.cols)
				dest := make([]any, len(raw))
				for i := range raw {
					dest[i] = &raw[i]
				}
				cols := bc.cols
				i := 0
				paired(b, func() {
					c, err := s.GetClient(ctx, ids[i%n])
					if err != nil || len(c.Secrets) != 3 {
						b.Fatal(c, err)
					}
				}, func() {
					rows, err := st.QueryContext(ctx, ids[i%n])
					if err != nil {
						b.Fatal(err)
					}
					got := 0
					for rows.Next() {
						if err := rows.Scan(dest[:cols]...); err != nil {
							b.Fatal(err)
						}
						got++
					}
					if err := rows.Close(); err != nil || got != bc.rows {
						b.Fatal(got, err)
					}
					i++
				})
			})
		}
	})
}

// BenchmarkUpdateClient compares UpdateClient of a rotation with a bare
// versioned UPDATE of the client row in a transaction (the statement
// UpdateClient starts with, without the secrets). Two shapes of rotation:
//
//   - rotation: as Registry.RotateSecret makes it under the default policy
//     (grace period, at most two active secrets): a new secret is appended,
//     the previous one gets an expiry, the oldest active one is revoked.
//     Nothing is deleted; every 8 rotations the revoked secrets are purged
//     by an untimed update, so the client holds 2 to 9 secrets.
//   - rotation+purge: the oldest secret is dropped in the same update, so
//     the client keeps three secrets and every update deletes a row.
//   - no-op: the client is stored again exactly as it was read (only its
//     version moves, as the Store contract requires of every accepted
//     update). Target: within 1.2x of the bare UPDATE.
func BenchmarkUpdateClient(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		s, db := newStore(b, e)
		ctx := b.Context()
		st, err := db.PrepareContext(ctx, rebindFor(e.Dialect, updateClientSQL))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		run := 0
		bench := func(b *testing.B, change func(c *oauthreg.Client, now time.Time, i int)) {
			run++
			c := authClient(fmt.Sprintf("rotated-%d", run))
			bare := authClient(fmt.Sprintf("bare-%d", run))
			for _, x := range []*oauthreg.Client{c, bare} {
				if err := s.CreateClient(ctx, x); err != nil {
					b.Fatal(err)
				}
			}
			now := storetest.BaseTime()
			i := 0
			pairedPrep(b, func() {
				// Untimed: purge what earlier rotations revoked.
				if len(c.Secrets) < 9 {
					return
				}
				var kept []oauthreg.Secret
				for _, sec := range c.Secrets {
					if sec.RevokedAt.IsZero() {
						kept = append(kept, sec)
					}
				}
				c.Secrets = kept
				if err := s.UpdateClient(ctx, c); err != nil {
					b.Fatal(err)
				}
			}, func() {
				now = now.Add(time.Second)
				change(c, now, i)
				if err := s.UpdateClient(ctx, c); err != nil {
					b.Fatal(err)
				}
				i++
			}, func() {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				bare.UpdatedAt = now
				res, err := tx.StmtContext(ctx, st).ExecContext(ctx, updateArgs(bare)...)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := res.RowsAffected(); err != nil || n != 1 {
					b.Fatal(n, err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				bare.Version++
			})
		}
		b.Run("rotation", func(b *testing.B) {
			bench(b, func(c *oauthreg.Client, now time.Time, i int) {
				c.UpdatedAt = now
				grace := now.Add(24 * time.Hour)
				var active []int
				for j, sec := range c.Secrets {
					if sec.ActiveAt(now) {
						active = append(active, j)
						if sec.ExpiresAt.IsZero() || grace.Before(sec.ExpiresAt) {
							c.Secrets[j].ExpiresAt = grace
						}
					}
				}
				c.Secrets = append(c.Secrets, storetest.NewSecret(fmt.Sprintf("r%d", i), now))
				for len(active)+1 > 2 { // at most two active secrets
					c.Secrets[active[0]].RevokedAt = now
					active = active[1:]
				}
			})
		})
		b.Run("rotation+purge", func(b *testing.B) {
			bench(b, func(c *oauthreg.Client, now time.Time, i int) {
				c.UpdatedAt = now
				c.Secrets[len(c.Secrets)-1].ExpiresAt = now.Add(24 * time.Hour)
				c.Secrets = append(c.Secrets[1:], storetest.NewSecret(fmt.Sprintf("p%d", i), now))
			})
		})
		b.Run("no-op", func(b *testing.B) {
			bench(b, func(*oauthreg.Client, time.Time, int) {})
		})
	})
}

// seedClients inserts n clients with one secret each, owners org-00 to
// org-99, in one transaction (bulkInsert): fast enough for 100,000 rows.
// Every second client (even i) has the user tag "half", a name starting
// with "svc-" and is disabled; every fourth was used recently, the others
// never: half the clients pass each filter of the list benchmarks, three
// quarters are stale.
func seedClients(b *testing.B, db *sql.DB, d sqlstore.Dialect, n int) {
	created := storetest.BaseTime()
	clients := make([]*oauthreg.Client, n)
	for i := range clients {
		id := fmt.Sprintf("client-%06d", i)
		name, even := "app-"+id, i%2 == 0
		var tags []string
		if even {
			name, tags = "svc-"+id, []string{"half"}
		}
		var used time.Time
		if i%4 == 0 {
			used = created.Add(time.Hour)
		}
		clients[i] = &oauthreg.Client{
			UserTags: tags, Disabled: even, LastUsedAt: used,
			ID: id, Owner: fmt.Sprintf("org-%02d", i%100), Name: name,
			GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Scopes: []string{"read", "write"},
			TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic, AccessTokenTTL: 24 * time.Hour,
			CreatedAt: created, UpdatedAt: created, Version: 1,
			Secrets: []oauthreg.Secret{{ID: "s1", Kind: oauthreg.SecretGenerated, Hash: oauthreg.Conceal("$sha256$" + strings.Repeat("ab", 32)), Hint: "abcd", CreatedAt: created}},
		}
	}
	bulkInsert(b, db, d, clients)
}

func BenchmarkListClients100k(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		s, db := newStore(b, e)
		ctx := b.Context()
		const clients, pageSize, depth = 100_000, 50, 1000
		began := time.Now()
		seedClients(b, db, e.Dialect, clients)
		b.Logf("seeded %d clients with a secret each in %v", clients, time.Since(began).Round(time.Millisecond))

		// Walk 1,000 pages once to get the cursor there.
		q := oauthreg.ListQuery{Limit: pageSize}
		for range depth {
			page, err := s.ListClients(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			q.Cursor = page.NextCursor
		}
		deep := q.Cursor

		b.Run("all", func(b *testing.B) {
			paired(b, func() { listPage(b, s, oauthreg.ListQuery{Limit: pageSize, Cursor: deep}) },
				func() { listPage(b, s, oauthreg.ListQuery{Limit: pageSize}) })
		})
		// Filters that half of the clients pass (a quarter for
		// disabled+tag): the deep page is the 1,000th (the 500th).
		for _, f := range []struct {
			name  string
			q     oauthreg.ListQuery
			depth int
		}{
			{"user_tag", oauthreg.ListQuery{UserTag: "half"}, 999},
			{"name_prefix", oauthreg.ListQuery{NamePrefix: "svc-"}, 999},
			{"disabled", oauthreg.ListQuery{Disabled: oauthreg.OnlyDisabled}, 999},
			{"not_used_since", oauthreg.ListQuery{NotUsedSince: storetest.BaseTime().Add(time.Minute)}, 999},
			{"user_tag+enabled", oauthreg.ListQuery{UserTag: "half", Disabled: oauthreg.OnlyEnabled, NotUsedSince: storetest.BaseTime().Add(time.Minute)}, 0},
		} {
			b.Run(f.name, func(b *testing.B) {
				first := f.q
				first.Limit = pageSize
				q := first
				for range f.depth {
					page, err := s.ListClients(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					q.Cursor = page.NextCursor
				}
				if f.depth == 0 {
					// No client matches: the whole index range is
					// scanned, once per page, at any depth.
					paired(b, func() { emptyPage(b, s, q) }, func() { listPage(b, s, oauthreg.ListQuery{Limit: pageSize}) })
					return
				}
				paired(b, func() { listPage(b, s, q) }, func() { listPage(b, s, first) })
			})
		}
		b.Run("owner", func(b *testing.B) {
			// 1,000 clients per owner: the deep page is the 19th.
			q := oauthreg.ListQuery{Limit: pageSize, Owner: "org-07"}
			for range 18 {
				page, err := s.ListClients(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				q.Cursor = page.NextCursor
			}
			paired(b, func() { listPage(b, s, q) },
				func() { listPage(b, s, oauthreg.ListQuery{Limit: pageSize, Owner: "org-07"}) })
		})
	})
}

func emptyPage(b *testing.B, s *sqlstore.Store, q oauthreg.ListQuery) {
	page, err := s.ListClients(b.Context(), q)
	if err != nil || len(page.Clients) != 0 {
		b.Fatal(len(page.Clients), err)
	}
}

func listPage(b *testing.B, s *sqlstore.Store, q oauthreg.ListQuery) {
	page, err := s.ListClients(b.Context(), q)
	if err != nil || len(page.Clients) != q.Limit {
		b.Fatal(len(page.Clients), err)
	}
}

// paired runs subject and baseline alternately (in alternating order), so
// that both see the same machine load, times each, and reports their times
// per operation and the ratio subject/baseline ("x-baseline").
func paired(b *testing.B, subject, baseline func()) {
	b.Helper()
	pairedPrep(b, nil, subject, baseline)
}

// pairedPrep is paired with an untimed prep run before each subject.
func pairedPrep(b *testing.B, prep, subject, baseline func()) {
	b.Helper()
	var ts, tb time.Duration
	odd := false
	for b.Loop() {
		if prep != nil {
			b.StopTimer()
			prep()
			b.StartTimer()
		}
		if odd {
			t0 := time.Now()
			subject()
			t1 := time.Now()
			baseline()
			ts += t1.Sub(t0)
			tb += time.Since(t1)
		} else {
			t0 := time.Now()
			baseline()
			t1 := time.Now()
			subject()
			tb += t1.Sub(t0)
			ts += time.Since(t1)
		}
		odd = !odd
	}
	b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "subject-ns/op")
	b.ReportMetric(float64(tb.Nanoseconds())/float64(b.N), "baseline-ns/op")
	b.ReportMetric(float64(ts)/float64(tb), "x-baseline")
}
