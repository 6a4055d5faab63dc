package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// Benchmarks of the Registry over the SQL store, each next to a baseline of
// raw SQL on the same rows with the same driver. Run them with
//
//	go test -run '^$' -bench Registry -benchtime 2s -count 3 ./sqlstore/
//
// (with OAUTHREG_TEST_POSTGRES / OAUTHREG_TEST_MYSQL set for the servers).
// Targets: Authenticate within 1.3x of its baseline on SQLite and 1.2x on
// PostgreSQL; RotateSecret within 1.5x of its baseline.
//
// Every operation has three benchmarks:
//
//   - BenchmarkRegistryX: the Registry call alone;
//   - BenchmarkRegistryXBaseline: the raw SQL alone, with the same
//     sub-benchmark names, so that benchstat compares the two, e.g.
//     benchstat -col .name -filter '.name:(RegistryAuthenticate OR RegistryAuthenticateBaseline)' out.txt;
//   - BenchmarkRegistryXVsBaseline: both alternately in one loop (see
//     paired), so that they see the same load on a shared, noisy machine,
//     reporting their ratio as x-baseline. This is the figure to hold
//     against the targets.

// benchOp is one benchmarked operation and its baseline. prep, if set, runs
// untimed before subject when due returns true.
type benchOp struct {
	subject, baseline func()
	due               func() bool
	prep              func()
}

// runSubject, runBaseline and runPaired are the loops of the three
// benchmarks of an operation.
func runSubject(b *testing.B, op benchOp) {
	for b.Loop() {
		if op.due != nil && op.due() {
			b.StopTimer()
			op.prep()
			b.StartTimer()
		}
		op.subject()
	}
}

func runBaseline(b *testing.B, op benchOp) {
	for b.Loop() {
		op.baseline()
	}
}

func runPaired(b *testing.B, op benchOp) {
	if op.due == nil {
		paired(b, op.subject, op.baseline)
		return
	}
	pairedPrep(b, func() {
		if op.due() {
			op.prep()
		}
	}, op.subject, op.baseline)
}

// storeGetClientSQL returns the exact text of the query Store.GetClient sends on
// engine e, read off the wire by faultdriver from a throwaway database, so
// that the Authenticate baseline runs the very same SELECT. It is cached
// per engine.
func storeGetClientSQL(b *testing.B, e testdb.Engine) string {
	getClientSQLs.Lock()
	defer getClientSQLs.Unlock()
	if q, ok := getClientSQLs.m[e.Name]; ok {
		return q
	}
	inj := faultdriver.NewInjector()
	db := faultyDB(b, e, inj)
	s := migratedStore(b, db, e.Dialect)
	if err := s.CreateClient(b.Context(), storetest.NewClient("probe")); err != nil {
		b.Fatal(err)
	}
	inj.Arm(0, faultdriver.Before)
	_, err := s.GetClient(b.Context(), "probe")
	stmts := inj.Statements()
	inj.Disarm()
	if err != nil || len(stmts) != 1 {
		b.Fatalf("GetClient ran %q: %v", stmts, err)
	}
	getClientSQLs.m[e.Name] = stmts[0]
	return stmts[0]
}

var getClientSQLs = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// pointLookup is the Authenticate baseline: the store's GetClient query,
// prepared with db.PrepareContext, each column scanned into a plain
// variable, nothing else. The client's columns come first; the rest (the
// secrets as one JSON column, or the secret columns of the MySQL join, one
// row per secret) are scanned into sql.NullStrings.
type pointLookup struct {
	st *sql.Stmt

	id, owner, name, description, method            string
	grantTypes, responseTypes, scopes, redirectURIs sql.NullString
	systemTags, userTags, metadata, policy, profile sql.NullString
	public, disabled                                bool
	accessTTL, refreshTTL, version                  int64
	created, updated, lastUsed                      sql.NullInt64
	rest                                            []sql.NullString
	dest                                            []any
}

func newPointLookup(b *testing.B, db *sql.DB, query string) *pointLookup {
	st, err := db.PrepareContext(b.Context(), query)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	l := &pointLookup{st: st}
	l.dest = []any{
		&l.id, &l.owner, &l.name, &l.description,
		&l.grantTypes, &l.responseTypes, &l.scopes, &l.redirectURIs,
		&l.method, &l.public, &l.accessTTL, &l.refreshTTL, &l.disabled,
		&l.systemTags, &l.userTags, &l.metadata, &l.policy, &l.profile,
		&l.created, &l.updated, &l.lastUsed, &l.version,
	}
	return l
}

// get looks id up and reports whether it was found (the store's query
// returns another client, a decoy, when id has none).
func (l *pointLookup) get(ctx context.Context, b *testing.B, id string) bool {
	rows, err := l.st.QueryContext(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	if l.rest == nil {
		cols, err := rows.Columns()
		if err != nil {
			b.Fatal(err)
		}
		l.rest = make([]sql.NullString, len(cols)-len(l.dest))
		for i := range l.rest {
			l.dest = append(l.dest, &l.rest[i])
		}
	}
	found := false
	for rows.Next() {
		if err := rows.Scan(l.dest...); err != nil {
			b.Fatal(err)
		}
		found = found || l.id == id
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	return found
}

// jsonList encodes a list as the store does: a JSON array, NULL for nil.
func jsonList[S ~string](list []S) any {
	if list == nil {
		return nil
	}
	j, _ := json.Marshal(list)
	return string(j)
}

// micros encodes a time as the store does: unix microseconds, NULL for zero.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// clientRow returns the values of a client row (the store's column order)
// for clients that have neither metadata nor a rotation policy of their own.
func clientRow(b *testing.B, c *oauthreg.Client) []any {
	if c.Metadata != nil || c.RotationPolicy != nil {
		b.Fatalf("client %s: clientRow does not encode metadata or a rotation policy", c.ID)
	}
	return []any{c.ID, c.Owner, c.Name, c.Description, jsonList(c.GrantTypes), jsonList(c.ResponseTypes),
		jsonList(c.Scopes), jsonList(c.RedirectURIs), string(c.TokenEndpointAuthMethod), c.Public,
		int64(c.AccessTokenTTL), int64(c.RefreshTokenTTL), c.Disabled, jsonList(c.SystemTags), jsonList(c.UserTags),
		nil, nil, profileOf(b, c), micros(c.CreatedAt), micros(c.UpdatedAt), micros(c.LastUsedAt), c.Version}
}

// profileOf encodes the profile column of c as the store does.
func profileOf(b *testing.B, c *oauthreg.Client) any {
	v, err := sqlstore.ProfileValue(c)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// secretRow returns the values of the row of secret i of client id.
func secretRow(id string, i int, s oauthreg.Secret) []any {
	return []any{id, i, s.ID, string(s.Kind), s.Hash.Reveal(), s.Sealed.Reveal(), s.Hint, s.Description,
		micros(s.CreatedAt), micros(s.ExpiresAt), micros(s.RevokedAt), micros(s.LastUsedAt)}
}

const (
	insertClientRowSQL = `INSERT INTO oauthreg_clients (id, owner, name, description, grant_types, response_types, scopes,
 redirect_uris, token_endpoint_auth_method, is_public, access_token_ttl, refresh_token_ttl, is_disabled, system_tags,
 user_tags, metadata, rotation_policy, profile, created_at, updated_at, last_used_at, version) VALUES `
	clientRowValues    = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	insertSecretRowSQL = `INSERT INTO oauthreg_client_secrets (client_id, ordinal, secret_id, kind, hash, sealed, hint,
 description, created_at, expires_at, revoked_at, last_used_at) VALUES `
	secretRowValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

// bulkInsert stores clients with multi-row INSERTs in one transaction:
// fast, even on a server that syncs every commit to disk.
func bulkInsert(b *testing.B, db *sql.DB, d sqlstore.Dialect, clients []*oauthreg.Client) {
	ctx := b.Context()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const batch = 200
	for start := 0; start < len(clients); start += batch {
		var cq, sq strings.Builder
		var cargs, sargs []any
		cq.WriteString(insertClientRowSQL)
		sq.WriteString(insertSecretRowSQL)
		for i, c := range clients[start:min(len(clients), start+batch)] {
			if i > 0 {
				cq.WriteString(", ")
			}
			cq.WriteString(clientRowValues)
			cargs = append(cargs, clientRow(b, c)...)
			for j, s := range c.Secrets {
				if len(sargs) > 0 {
					sq.WriteString(", ")
				}
				sq.WriteString(secretRowValues)
				sargs = append(sargs, secretRow(c.ID, j, s)...)
			}
		}
		if _, err := tx.ExecContext(ctx, rebindFor(d, cq.String()), cargs...); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, rebindFor(d, sq.String()), sargs...); err != nil {
			b.Fatal(err)
		}
		// The tags table, as the store keeps it.
		var tq strings.Builder
		var targs []any
		for _, c := range clients[start:min(len(clients), start+batch)] {
			for kind, tags := range map[string][]string{"system": c.SystemTags, "user": c.UserTags} {
				for _, tag := range tags {
					if len(targs) > 0 {
						tq.WriteString(", ")
					}
					tq.WriteString("(?, ?, ?)")
					targs = append(targs, kind, tag, c.ID)
				}
			}
		}
		if len(targs) > 0 {
			q := "INSERT INTO oauthreg_client_tags (kind, tag, client_id) VALUES " + tq.String()
			if _, err := tx.ExecContext(ctx, rebindFor(d, q), targs...); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// authFixture is what the Authenticate benchmarks run against: n
// confidential clients in the middle of a rotation (two active secrets,
// the older one in its grace period), and a Registry over the store.
type authFixture struct {
	reg    *oauthreg.Registry
	db     *sql.DB
	ids    []string
	newest []string // the newest secret of each client, in plaintext
}

// newAuthFixture builds the clients with a Registry over a memstore (the
// hashing and rotation are the Registry's own), then stores them with
// bulkInsert: the seeding is one transaction, outside any timer.
//
// The Registry keeps its defaults, in particular the one-minute throttle of
// last-used writes, and a fake clock that stands still: the first
// authentication of a client in a minute writes its last-used time, every
// other one only reads. That is the hot path of a token endpoint, and what
// the benchmarks measure. To keep the one write per client out of the
// timed loops, the clients are seeded as if that first authentication had
// just happened (last-used times at the clock's time); checkFixture then
// verifies that an authentication reads and does not write.
func newAuthFixture(b *testing.B, e testdb.Engine, n int) *authFixture {
	ctx := b.Context()
	db := e.Open(b)
	s := migratedStore(b, db, e.Dialect)
	clock := oauthregtest.NewClock(storetest.BaseTime())
	mem, err := oauthreg.New(memstore.New(), oauthreg.WithClock(clock.Now))
	if err != nil {
		b.Fatal(err)
	}
	f := &authFixture{db: db}
	var clients []*oauthreg.Client
	for i := range n {
		c, _, err := mem.Register(ctx, confidential(fmt.Sprintf("service %d", i)))
		if err != nil {
			b.Fatal(err)
		}
		next, err := mem.RotateSecret(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if c, err = mem.Get(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
		c.LastUsedAt = clock.Now()
		c.Secrets[len(c.Secrets)-1].LastUsedAt = clock.Now()
		c.Version = 1
		clients = append(clients, c)
		f.ids = append(f.ids, c.ID)
		f.newest = append(f.newest, next.Reveal())
	}
	bulkInsert(b, db, e.Dialect, clients)
	got, err := s.GetClient(ctx, clients[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	if d := storetest.Diff(clients[0], got); d != nil {
		b.Fatalf("a seeded client reads back differently: %v", d)
	}
	if f.reg, err = oauthreg.New(s, oauthreg.WithClock(clock.Now)); err != nil {
		b.Fatal(err)
	}
	return f
}

// authCase is one kind of authentication: which client ID and secret are
// presented for the i-th client, and which ID the baseline looks up.
type authCase struct {
	name   string
	ok     bool
	client func(f *authFixture, i int) (id, secret string)
}

var authCases = []authCase{
	{"right", true, func(f *authFixture, i int) (string, string) { return f.ids[i], f.newest[i] }},
	// A well-formed secret of another client: its embedded secret ID is
	// not the client's, which costs a decoy hash.
	{"wrong", false, func(f *authFixture, i int) (string, string) { return f.ids[i], f.newest[(i+1)%len(f.ids)] }},
	// An unknown client ID: the lookup finds nothing, then a decoy copy
	// and a decoy hash.
	{"unknown", false, func(f *authFixture, i int) (string, string) {
		return fmt.Sprintf("%s-unknown", f.ids[i]), f.newest[i]
	}},
}

// authOps returns the subject and baseline of every case.
func authOps(b *testing.B, e testdb.Engine) map[string]benchOp {
	const n = 1000
	f := newAuthFixture(b, e, n)
	lookup := newPointLookup(b, f.db, storeGetClientSQL(b, e))
	ctx := b.Context()
	ops := map[string]benchOp{}
	for _, ac := range authCases {
		ids := make([]string, n)
		secrets := make([]string, n)
		for i := range n {
			ids[i], secrets[i] = ac.client(f, i)
		}
		i, j := 0, 0
		ops[ac.name] = benchOp{
			subject: func() {
				_, err := f.reg.Authenticate(ctx, ids[i%n], secrets[i%n])
				if (err == nil) != ac.ok {
					b.Fatalf("Authenticate (%s): %v", ac.name, err)
				}
				i++
			},
			baseline: func() {
				if lookup.get(ctx, b, ids[j%n]) != (ac.name != "unknown") {
					b.Fatalf("the baseline lookup (%s) of %s found the wrong thing", ac.name, ids[j%n])
				}
				j++
			},
		}
	}
	checkAuthReads(b, e, f)
	return ops
}

// checkAuthReads verifies, untimed, that the timed loops do what they
// claim: a successful authentication of a seeded client runs one query and
// writes nothing, and so does every other case.
func checkAuthReads(b *testing.B, e testdb.Engine, f *authFixture) {
	// The same Registry and rows, seen through a counting database.
	inj := faultdriver.NewInjector()
	db := faultyDB(b, e, inj)
	s := migratedStore(b, db, e.Dialect)
	ctx := b.Context()
	src, err := f.reg.Get(ctx, f.ids[0])
	if err != nil {
		b.Fatal(err)
	}
	if err := s.CreateClient(ctx, src); err != nil {
		b.Fatal(err)
	}
	clock := oauthregtest.NewClock(src.LastUsedAt)
	reg, err := oauthreg.New(s, oauthreg.WithClock(clock.Now))
	if err != nil {
		b.Fatal(err)
	}
	inj.Arm(0, faultdriver.Before)
	for range 3 {
		if _, err := reg.Authenticate(ctx, f.ids[0], f.newest[0]); err != nil {
			b.Fatal(err)
		}
	}
	steps := inj.Steps()
	inj.Disarm()
	if len(steps) != 3 {
		b.Fatalf("3 authentications of a seeded client ran %q: want one read each", steps)
	}
}

func BenchmarkRegistryAuthenticate(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		ops := authOps(b, e)
		for _, ac := range authCases {
			b.Run(ac.name, func(b *testing.B) { runSubject(b, ops[ac.name]) })
		}
	})
}

func BenchmarkRegistryAuthenticateBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		ops := authOps(b, e)
		for _, ac := range authCases {
			b.Run(ac.name, func(b *testing.B) { runBaseline(b, ops[ac.name]) })
		}
	})
}

func BenchmarkRegistryAuthenticateVsBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) {
		ops := authOps(b, e)
		for _, ac := range authCases {
			b.Run(ac.name, func(b *testing.B) { runPaired(b, ops[ac.name]) })
		}
	})
}

// rotateOp returns Registry.RotateSecret of one client and its baseline: a
// bare versioned UPDATE of another client's row (the statement UpdateClient
// starts with, without the secrets) in a transaction.
//
// The clock moves a second per rotation. Under the default policy (grace
// period, at most two active secrets) every rotation adds a secret and
// revokes one; every 8 rotations the revoked ones are purged by an untimed
// update, so the client holds 2 to 9 secrets, as in BenchmarkUpdateClient.
func rotateOp(b *testing.B, e testdb.Engine) benchOp {
	ctx := b.Context()
	db := e.Open(b)
	s := migratedStore(b, db, e.Dialect)
	reg, clock := sqlRegistry(b, s)
	c, _, err := reg.Register(ctx, confidential("rotated"))
	if err != nil {
		b.Fatal(err)
	}
	bare, _, err := reg.Register(ctx, confidential("bare"))
	if err != nil {
		b.Fatal(err)
	}
	update, err := db.PrepareContext(ctx, rebindFor(e.Dialect, updateClientSQL))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { update.Close() })
	args := clientRow(b, bare)
	// SET owner .. updated_at (the row's columns but id, last_used_at and
	// version), then WHERE id = ? AND version = ?.
	args = append(args[1:clientCols-2:clientCols-2], bare.ID, bare.Version)
	updatedAt := clientCols - 4 // the index of updated_at in args
	rotations := 0
	return benchOp{
		subject: func() {
			clock.Advance(time.Second)
			if _, err := reg.RotateSecret(ctx, c.ID); err != nil {
				b.Fatal(err)
			}
			rotations++
		},
		due: func() bool { return rotations%8 == 7 },
		prep: func() {
			cur, err := s.GetClient(ctx, c.ID)
			if err != nil {
				b.Fatal(err)
			}
			kept := cur.Secrets[:0]
			for _, sec := range cur.Secrets {
				if sec.RevokedAt.IsZero() {
					kept = append(kept, sec)
				}
			}
			cur.Secrets = kept
			if err := s.UpdateClient(ctx, cur); err != nil {
				b.Fatal(err)
			}
			rotations++ // not due again before the next rotation
		},
		baseline: func() {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			args[updatedAt] = clock.Now().UnixMicro()
			res, err := tx.StmtContext(ctx, update).ExecContext(ctx, args...)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				b.Fatal(n, err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			args[len(args)-1] = args[len(args)-1].(int64) + 1
		},
	}
}

func BenchmarkRegistryRotateSecret(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runSubject(b, rotateOp(b, e)) })
}

func BenchmarkRegistryRotateSecretBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runBaseline(b, rotateOp(b, e)) })
}

func BenchmarkRegistryRotateSecretVsBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runPaired(b, rotateOp(b, e)) })
}

// registerOp returns Registry.Register of a confidential client (validation,
// a generated ID and secret, its hash, CreateClient) and its baseline: the
// INSERT of a client row and of its secret row, of the same shape, in a
// transaction (what CreateClient does on SQLite and MySQL; PostgreSQL's is
// one statement). There is no target; the ratio is for information.
func registerOp(b *testing.B, e testdb.Engine) benchOp {
	ctx := b.Context()
	db := e.Open(b)
	s := migratedStore(b, db, e.Dialect)
	reg, _ := sqlRegistry(b, s)
	mem, _ := sqlRegistry(b, memstore.New())
	tmpl, _, err := mem.Register(ctx, confidential("template"))
	if err != nil {
		b.Fatal(err)
	}
	tmpl.Version = 1
	insertClient, err := db.PrepareContext(ctx, rebindFor(e.Dialect, insertClientRowSQL+clientRowValues))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { insertClient.Close() })
	insertSecret, err := db.PrepareContext(ctx, rebindFor(e.Dialect, insertSecretRowSQL+secretRowValues))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { insertSecret.Close() })
	cargs := clientRow(b, tmpl)
	sargs := secretRow(tmpl.ID, 0, tmpl.Secrets[0])
	i := 0
	return benchOp{
		subject: func() {
			if _, _, err := reg.Register(ctx, confidential("registered")); err != nil {
				b.Fatal(err)
			}
		},
		baseline: func() {
			i++
			id := fmt.Sprintf("%s-%d", tmpl.ID, i)
			cargs[0], sargs[0] = id, id
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.StmtContext(ctx, insertClient).ExecContext(ctx, cargs...); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.StmtContext(ctx, insertSecret).ExecContext(ctx, sargs...); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		},
	}
}

func BenchmarkRegistryRegister(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runSubject(b, registerOp(b, e)) })
}

func BenchmarkRegistryRegisterBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runBaseline(b, registerOp(b, e)) })
}

func BenchmarkRegistryRegisterVsBaseline(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, e testdb.Engine) { runPaired(b, registerOp(b, e)) })
}
