package sqlstore_test

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/oauthregtest"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// Tests of a Registry over the SQL store: what reaches the database when
// users call the Registry, end to end. The Registry's behaviour itself is
// covered by storetest's Registry group, which runs on every engine through
// TestConformance.

// migratedStore returns a Store on db with its tables created.
func migratedStore(t testing.TB, db *sql.DB, d sqlstore.Dialect, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, d, opts...)
	if err != nil {
		t.Fatalf("sqlstore.New: %v", err)
	}
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// faultyDB opens a fresh database of engine e through inj (disarmed).
func faultyDB(t testing.TB, e testdb.Engine, inj *faultdriver.Injector) *sql.DB {
	t.Helper()
	inj.Disarm()
	db := sql.OpenDB(faultdriver.Wrap(e.Connector(t), inj))
	t.Cleanup(func() { db.Close() })
	return db
}

// sqlRegistry returns a Registry over st with a fake clock standing at
// storetest.BaseTime() and otherwise the defaults (in particular the
// one-minute last-used interval), plus opts.
func sqlRegistry(t testing.TB, st oauthreg.Store, opts ...oauthreg.Option) (*oauthreg.Registry, *oauthregtest.Clock) {
	t.Helper()
	clock := oauthregtest.NewClock(storetest.BaseTime())
	reg, err := oauthreg.New(st, append([]oauthreg.Option{oauthreg.WithClock(clock.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("oauthreg.New: %v", err)
	}
	return reg, clock
}

// confidential is the client the tests register: client_credentials with
// client_secret_basic, as a service account is.
func confidential(name string) oauthreg.Client {
	return oauthreg.Client{
		Owner:      "org-acme",
		Name:       name,
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"invoices:read", "invoices:write"},
	}
}

// dumpTables returns every row of every table of the store (the tables
// whose names start with the default prefix) as text, one line per row:
// "table: col=value col=value ...", NULL for NULL, sorted. Every value is
// converted to text by database/sql (sql.RawBytes), whatever its type.
func dumpTables(t testing.TB, db *sql.DB, d sqlstore.Dialect) []string {
	t.Helper()
	ctx := t.Context()
	var q string
	switch d {
	case sqlstore.SQLite:
		q = "SELECT name FROM sqlite_schema WHERE type = 'table'"
	case sqlstore.Postgres:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	case sqlstore.MySQL:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("listing tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(name, sqlstore.DefaultTablePrefix) {
			tables = append(tables, name)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(tables) != 5 {
		t.Fatalf("found the tables %q, want the store's five (clients, secrets, tags, used assertions, migrations)", tables)
	}
	var out []string
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatalf("dumping %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		raw := make([]sql.RawBytes, len(cols))
		dest := make([]any, len(cols))
		for i := range raw {
			dest[i] = &raw[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("dumping %s: %v", table, err)
			}
			var b strings.Builder
			b.WriteString(table + ":")
			for i, col := range cols {
				v := "NULL"
				if raw[i] != nil {
					v = string(raw[i])
				}
				fmt.Fprintf(&b, " %s=%s", col, v)
			}
			out = append(out, b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatalf("dumping %s: %v", table, err)
		}
	}
	slices.Sort(out)
	return out
}

// dumpDiff describes how two dumps differ, "" if they do not.
func dumpDiff(before, after []string) string {
	var b strings.Builder
	for _, l := range before {
		if _, found := slices.BinarySearch(after, l); !found {
			b.WriteString("\t- " + l + "\n")
		}
	}
	for _, l := range after {
		if _, found := slices.BinarySearch(before, l); !found {
			b.WriteString("\t+ " + l + "\n")
		}
	}
	return b.String()
}

// countRows returns how many lines of a dump start with prefix: the rows
// of a table ("oauthreg_clients:"), or of one client's secrets
// ("oauthreg_client_secrets: client_id=<id> ").
func countRows(dump []string, prefix string) int {
	n := 0
	for _, l := range dump {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// needles finds many byte strings (each at least 16 bytes long) in large
// haystacks in one pass that looks at every eighth position only: any
// occurrence of a needle covers an 8-byte window at a position that is a
// multiple of 8, somewhere within its first 16 bytes, so every needle is
// indexed (a bit filter and a map) by each of its first eight 8-byte
// windows, and candidates are then compared whole.
type needles struct {
	list   []string
	labels []string
	window map[uint64][]needleAt
	filter []uint64
}

type needleAt struct{ needle, offset int }

const needleFilterBits = 1 << 20

func newNeedles() *needles {
	return &needles{window: map[uint64][]needleAt{}, filter: make([]uint64, needleFilterBits/64)}
}

func needleBit(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> (64 - 20) }

// add registers needle s, described by label in messages.
func (n *needles) add(s, label string) {
	if len(s) < 16 {
		panic("needle shorter than 16 bytes: " + s)
	}
	for off := range 8 {
		key := binary.LittleEndian.Uint64([]byte(s[off : off+8]))
		bit := needleBit(key)
		n.filter[bit/64] |= 1 << (bit % 64)
		n.window[key] = append(n.window[key], needleAt{len(n.list), off})
	}
	n.list = append(n.list, s)
	n.labels = append(n.labels, label)
}

// find marks in found the needles that occur in hay.
func (n *needles) find(hay []byte, found []bool) {
	for i := 0; i+8 <= len(hay); i += 8 {
		key := binary.LittleEndian.Uint64(hay[i:])
		bit := needleBit(key)
		if n.filter[bit/64]&(1<<(bit%64)) == 0 {
			continue
		}
		for _, at := range n.window[key] {
			start := i - at.offset
			if start >= 0 && bytes.HasPrefix(hay[start:], []byte(n.list[at.needle])) {
				found[at.needle] = true
			}
		}
	}
}

// scan returns which needles occur in any of the haystacks.
func (n *needles) scan(hays ...[]byte) []bool {
	found := make([]bool, len(n.list))
	for _, h := range hays {
		n.find(h, found)
	}
	return found
}

// TestNeedles checks the scanner of TestNoPlaintextAtRest: a needle is found
// at every offset, at the very start and end of a haystack, and a needle
// that differs in its last byte is not.
func TestNeedles(t *testing.T) {
	n := newNeedles()
	var words []string
	for i := range 20 {
		w := randomText(fmt.Sprintf("w%d-", i))[:16+i]
		words = append(words, w)
		n.add(w, w)
	}
	absent := words[3][:len(words[3])-1] + "!"
	n.add(absent, "absent")
	for off := range 17 {
		hay := []byte(strings.Repeat("#", off))
		for _, w := range words {
			hay = append(hay, w...)
			hay = append(hay, strings.Repeat("#", off)...)
		}
		found := n.scan(hay)
		for i, w := range words {
			if !found[i] {
				t.Errorf("offset %d: %q not found", off, w)
			}
		}
		if found[len(words)] {
			t.Errorf("offset %d: found a needle that is not there", off)
		}
	}
	if found := n.scan([]byte(words[0])); !found[0] {
		t.Error("a haystack that is just the needle: not found")
	}
}

// addPlaintext registers a secret's plaintext as forbidden, with the forms
// in which a careless store might keep it: as is, hex, base64; for a
// generated secret also its 256 random bits alone (the 52 characters
// between the embedded secret ID and the checksum).
func (n *needles) addPlaintext(p, what string) {
	n.add(p, what)
	n.add(hex.EncodeToString([]byte(p)), what+" (hex)")
	n.add(base64.StdEncoding.EncodeToString([]byte(p)), what+" (base64)")
	n.add(base64.RawURLEncoding.EncodeToString([]byte(p)), what+" (base64url)")
	const body, idLen, checkLen = 16 + 52 + 7, 16, 7
	if strings.HasPrefix(what, "generated") {
		n.add(p[len(p)-body+idLen:len(p)-checkLen], what+" (its random part)")
	}
}

// reportFound fails t for every needle found, at most 10 of them.
func reportFound(t *testing.T, n *needles, found []bool, where string) {
	t.Helper()
	count := 0
	for i, f := range found {
		if !f {
			continue
		}
		if count++; count <= 10 {
			t.Errorf("%s holds the plaintext of a %s", where, n.labels[i])
		}
	}
	if count > 10 {
		t.Errorf("%s holds %d plaintext forms in all", where, count)
	}
}

// reportMissing fails t for every needle not found: the positive control
// that shows a scan can see what the store wrote.
func reportMissing(t *testing.T, n *needles, found []bool, where string) {
	t.Helper()
	missing := 0
	for i, f := range found {
		if !f {
			if missing++; missing <= 5 {
				t.Errorf("%s lacks %s: the scan does not see what the store wrote", where, n.labels[i])
			}
		}
	}
}

// randomText returns prefix and 32 random hex digits.
func randomText(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestNoPlaintextAtRest drives a Registry over the SQL store through
// registrations, rotations, regenerations, supplied secrets and imported
// hashes that are upgraded on use, keeping every plaintext the Registry
// returned or was given, and then looks for those plaintexts (and their
// random parts, and their hex and base64 forms) in everything the database
// holds: on SQLite the raw bytes of the database file, its WAL and its
// shared-memory index, as they are (no checkpoint) and again after the
// database is closed; on every engine every column of every row of the
// store's tables, as text. With sealing on, the sealed column must hold
// ciphertext that opens to the plaintext, and still never the plaintext.
func TestNoPlaintextAtRest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		t.Run("hashes", func(t *testing.T) { testNoPlaintextAtRest(t, e, false) })
		t.Run("sealed", func(t *testing.T) { testNoPlaintextAtRest(t, e, true) })
	})
}

func testNoPlaintextAtRest(t *testing.T, e testdb.Engine, sealing bool) {
	ctx := t.Context()
	var db *sql.DB
	var dbFile string
	if e.Dialect == sqlstore.SQLite {
		// Our own file, to read it afterwards.
		dbFile = filepath.Join(t.TempDir(), "oauthreg.db")
		var err error
		if db, err = sql.Open("sqlite", testdb.SQLiteDSN(dbFile)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	} else {
		db = e.Open(t)
	}
	s := migratedStore(t, db, e.Dialect)
	var opts []oauthreg.Option
	if sealing {
		key, err := oauthreg.GenerateKey("test-2030", oauthreg.AES256GCM)
		if err != nil {
			t.Fatal(err)
		}
		ring, err := oauthreg.NewKeyRing(key)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, oauthreg.WithKeyRing(ring))
	}
	reg, clock := sqlRegistry(t, s, opts...)

	forbidden := newNeedles()
	var plains []string
	keep := func(p oauthreg.PlainSecret, what string) oauthreg.PlainSecret {
		t.Helper()
		if p.IsZero() {
			t.Fatalf("%s: no plaintext returned", what)
		}
		plains = append(plains, p.Reveal())
		forbidden.addPlaintext(p.Reveal(), "generated secret "+p.ID()+" ("+what+")")
		return p
	}
	mustAuth := func(id, secret string) {
		t.Helper()
		if _, err := reg.Authenticate(ctx, id, secret); err != nil {
			t.Fatalf("Authenticate(%q): %v", id, err)
		}
	}

	const clients = 300
	var added, imported, regenerated int
	for i := range clients {
		clock.Advance(time.Second)
		c, p, err := reg.Register(ctx, confidential(fmt.Sprintf("client %d", i)))
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		latest := keep(p, "registered")
		switch i % 100 {
		case 7: // an administrator adds a secret of their choosing
			supplied := randomText("supplied-")
			plains = append(plains, supplied)
			forbidden.addPlaintext(supplied, "supplied secret")
			sec, err := reg.AddSecret(ctx, c.ID, supplied)
			if err != nil {
				t.Fatalf("AddSecret: %v", err)
			}
			mustAuth(c.ID, supplied)
			if sealing {
				if got, err := reg.RevealSecret(ctx, c.ID, sec.ID); err != nil || got.Reveal() != supplied {
					t.Errorf("RevealSecret of the supplied secret: %v (plaintext matches: %v)", err, got.Reveal() == supplied)
				}
			}
			added++
		case 13: // a hash imported from another system, upgraded on use
			plain := randomText("imported-")
			plains = append(plains, plain)
			forbidden.addPlaintext(plain, "imported secret")
			hash, err := bcrypt.GenerateFromPassword([]byte(plain), bcrypt.MinCost)
			if err != nil {
				t.Fatal(err)
			}
			sec, err := reg.ImportSecret(ctx, c.ID, string(hash))
			if err != nil {
				t.Fatalf("ImportSecret: %v", err)
			}
			mustAuth(c.ID, plain) // rehashes with argon2id, and seals when sealing is on
			got, err := reg.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s, _ := got.Secret(sec.ID); !strings.HasPrefix(s.Hash.Reveal(), "$argon2id$") {
				t.Errorf("the imported bcrypt hash was not upgraded on use: %.20s...", s.Hash.Reveal())
			}
			if sealing {
				if got, err := reg.RevealSecret(ctx, c.ID, sec.ID); err != nil || got.Reveal() != plain {
					t.Errorf("RevealSecret of the imported secret after its use: %v (plaintext matches: %v)", err, got.Reveal() == plain)
				}
			}
			imported++
		}
		next, err := reg.RotateSecret(ctx, c.ID)
		if err != nil {
			t.Fatalf("RotateSecret: %v", err)
		}
		latest = keep(next, "rotated")
		if i%2 == 0 {
			if next, err = reg.RotateSecret(ctx, c.ID); err != nil {
				t.Fatalf("RotateSecret: %v", err)
			}
			latest = keep(next, "rotated twice")
		}
		if i%50 == 0 {
			fresh, err := reg.RegenerateSecret(ctx, c.ID)
			if err != nil {
				t.Fatalf("RegenerateSecret: %v", err)
			}
			latest = keep(fresh, "regenerated")
			regenerated++
		}
		if i%10 == 0 {
			mustAuth(c.ID, latest.Reveal()) // writes last-used
			if sealing {
				if got, err := reg.RevealSecret(ctx, c.ID, latest.ID()); err != nil || got.Reveal() != latest.Reveal() {
					t.Errorf("RevealSecret: %v (plaintext matches: %v)", err, got.Reveal() == latest.Reveal())
				}
			}
		}
	}

	// What the store holds, through the store: every secret ID is there
	// (the positive control of the scans below), and with sealing every
	// generated secret is sealed.
	expected := newNeedles()
	var q oauthreg.ListQuery
	secrets, sealed := 0, 0
	for {
		page, err := s.ListClients(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Clients {
			for _, sec := range c.Secrets {
				secrets++
				expected.add(sec.ID, "secret ID "+sec.ID)
				if !sec.Sealed.IsZero() {
					sealed++
				} else if sealing && sec.Kind != oauthreg.SecretImported {
					t.Errorf("with sealing on, secret %s (%s) of client %s is not sealed", sec.ID, sec.Kind, c.ID)
				}
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if !sealing && sealed > 0 {
		t.Errorf("without sealing, %d secrets have a sealed value", sealed)
	}
	t.Logf("%d clients, %d secret records (%d sealed), %d plaintexts kept (%d supplied, %d imported, %d regenerations)",
		clients, secrets, sealed, len(plains), added, imported, regenerated)

	dump := []byte(strings.Join(dumpTables(t, db, e.Dialect), "\n"))
	reportFound(t, forbidden, forbidden.scan(dump), "a column of the store's tables")
	reportMissing(t, expected, expected.scan(dump), "the dump of the store's tables")

	if e.Dialect != sqlstore.SQLite {
		return
	}
	// The files as they are: most recent pages still in the WAL.
	read := func(when string) ([][]byte, []string) {
		t.Helper()
		var hays [][]byte
		var names []string
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			b, err := os.ReadFile(dbFile + suffix)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			hays = append(hays, b)
			names = append(names, fmt.Sprintf("%s%s (%d bytes, %s)", filepath.Base(dbFile), suffix, len(b), when))
		}
		return hays, names
	}
	hays, names := read("open")
	if len(hays) < 2 {
		t.Errorf("with the database open, found only %q: want the database file and its WAL", names)
	}
	for i, h := range hays {
		reportFound(t, forbidden, forbidden.scan(h), names[i])
	}
	reportMissing(t, expected, expected.scan(hays...), strings.Join(names, " + "))
	t.Logf("scanned %s", strings.Join(names, ", "))

	// And after the last connection closed, which checkpoints the WAL into
	// the database file.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	hays, names = read("closed")
	for i, h := range hays {
		reportFound(t, forbidden, forbidden.scan(h), names[i])
	}
	reportMissing(t, expected, expected.scan(hays...), strings.Join(names, " + "))
	t.Logf("scanned %s", strings.Join(names, ", "))
}

// failEveryStep makes step k = 1, 2, ... of op fail, before and after the
// step reaches the database, until op runs to its end without reaching step
// k. Every failed run must return the injected error and leave every row of
// the store's tables as it was. It returns the steps of the complete run,
// after which op has been applied once.
func failEveryStep(t *testing.T, inj *faultdriver.Injector, dump func() []string, op func() error) []string {
	t.Helper()
	before := dump()
	for k := 1; k <= 50; k++ {
		for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After} {
			inj.Arm(k, mode)
			err := op()
			fired, steps := inj.Fired(), inj.Steps()
			inj.Disarm()
			if !fired {
				if err != nil {
					t.Fatalf("without a fault (the operation has %d steps: %q) it failed: %v", k-1, steps, err)
				}
				if len(steps) != k-1 {
					t.Fatalf("the operation ran %d steps, yet step %d was not reached", len(steps), k)
				}
				return steps
			}
			if !errors.Is(err, faultdriver.ErrInjected) {
				t.Fatalf("failing step %d (%s, %v) returned %v, want the injected error", k, steps[k-1], mode, err)
			}
			if d := dumpDiff(before, dump()); d != "" {
				t.Errorf("after failing step %d (%s, %v) the stored rows changed:\n%s", k, steps[k-1], mode, d)
			}
		}
	}
	t.Fatal("the operation has more than 50 steps")
	return nil
}

// TestRegistryAtomicity fails every step (BEGIN, each statement, COMMIT)
// of Registry.RotateSecret (its read of the client and its versioned write)
// and of Registry.Register of a confidential client, before and after the
// step reaches the database: the Registry must return the error and every
// row of the store's tables must be as before (no half rotation, no client
// without its secret, no orphan secret). Then it fails every step with a
// transient error (a serialization failure) after the step ran: the store
// retries, and the operation must be applied exactly once.
func TestRegistryAtomicity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		db := faultyDB(t, e, inj)
		ctx := t.Context()
		// A store that does not retry, for the plain faults, and one that
		// does, for the transient ones, on the same database.
		reg, clock := sqlRegistry(t, migratedStore(t, db, e.Dialect, sqlstore.WithMaxAttempts(1)))
		retrying, err := oauthreg.New(migratedStore(t, db, e.Dialect), oauthreg.WithClock(clock.Now))
		if err != nil {
			t.Fatal(err)
		}
		dump := func() []string { return dumpTables(t, db, e.Dialect) }

		// The victim is in the middle of a rotation (two active secrets,
		// one with an expiry), so a rotation changes rows, revokes one
		// and adds one. Its neighbour must not change either.
		victim, _, err := reg.Register(ctx, confidential("victim"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg.RotateSecret(ctx, victim.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := reg.Register(ctx, confidential("neighbour")); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)

		// appliedOnce checks that the client went from before to one
		// rotation later: one version, one new secret (newID), every
		// earlier secret still there, and as many secret rows.
		appliedOnce := func(t *testing.T, before *oauthreg.Client, newID string) {
			t.Helper()
			after, err := reg.Get(ctx, before.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Version != before.Version+1 || len(after.Secrets) != len(before.Secrets)+1 {
				t.Errorf("after one rotation the client is at version %d with %d secrets, want %d with %d",
					after.Version, len(after.Secrets), before.Version+1, len(before.Secrets)+1)
			}
			for _, s := range before.Secrets {
				if _, ok := after.Secret(s.ID); !ok {
					t.Errorf("secret %s is gone after a rotation", s.ID)
				}
			}
			if s, ok := after.Secret(newID); !ok || !s.ActiveAt(clock.Now()) {
				t.Errorf("the new secret %s is not stored, or not active", newID)
			}
			if n := countRows(dump(), "oauthreg_client_secrets: client_id="+before.ID+" "); n != len(after.Secrets) {
				t.Errorf("the client has %d secret rows, want %d", n, len(after.Secrets))
			}
		}

		t.Run("RotateSecret", func(t *testing.T) {
			before, err := reg.Get(ctx, victim.ID)
			if err != nil {
				t.Fatal(err)
			}
			var plain oauthreg.PlainSecret
			steps := failEveryStep(t, inj, dump, func() error {
				var err error
				plain, err = reg.RotateSecret(ctx, victim.ID)
				if err != nil && !plain.IsZero() {
					t.Errorf("RotateSecret failed (%v) but returned a secret", err)
				}
				return err
			})
			t.Logf("RotateSecret on %s: %d steps %q, each failed before and after it ran", e.Name, len(steps), steps)
			if len(steps) < 2 {
				t.Errorf("RotateSecret ran %d steps; want at least the read and the write", len(steps))
			}
			appliedOnce(t, before, plain.ID())
		})

		t.Run("Register", func(t *testing.T) {
			var c *oauthreg.Client
			steps := failEveryStep(t, inj, dump, func() error {
				var plain oauthreg.PlainSecret
				var err error
				c, plain, err = reg.Register(ctx, confidential("new"))
				if err != nil && (c != nil || !plain.IsZero()) {
					t.Errorf("Register failed (%v) but returned a client or a secret", err)
				}
				return err
			})
			t.Logf("Register on %s: %d steps %q, each failed before and after it ran", e.Name, len(steps), steps)
			if got, err := reg.Get(ctx, c.ID); err != nil || len(got.Secrets) != 1 {
				t.Errorf("the client registered without faults: %v", err)
			}
		})

		t.Run("RotateSecretTransient", func(t *testing.T) {
			inj.Arm(0, faultdriver.Before)
			if _, err := retrying.RotateSecret(ctx, victim.ID); err != nil {
				t.Fatal(err)
			}
			n := inj.Count()
			inj.Disarm()
			for k := 1; k <= n; k++ {
				before, err := reg.Get(ctx, victim.ID)
				if err != nil {
					t.Fatal(err)
				}
				inj.ArmErr(k, faultdriver.After, transientErr{})
				plain, err := retrying.RotateSecret(ctx, victim.ID)
				fired, steps := inj.Fired(), inj.Steps()
				inj.Disarm()
				if !fired || err != nil {
					t.Fatalf("RotateSecret with a transient failure at step %d: fired %v, error %v, want a retried success", k, fired, err)
				}
				t.Logf("transient failure at step %d (%s), then %d steps", k, steps[k-1], len(steps)-k)
				appliedOnce(t, before, plain.ID())
			}
		})

		t.Run("RegisterTransient", func(t *testing.T) {
			inj.Arm(0, faultdriver.Before)
			if _, _, err := retrying.Register(ctx, confidential("counted")); err != nil {
				t.Fatal(err)
			}
			n := inj.Count()
			inj.Disarm()
			for k := 1; k <= n; k++ {
				before := dump()
				inj.ArmErr(k, faultdriver.After, transientErr{})
				c, plain, err := retrying.Register(ctx, confidential(fmt.Sprintf("transient %d", k)))
				fired := inj.Fired()
				inj.Disarm()
				if !fired || err != nil {
					t.Fatalf("Register with a transient failure at step %d: fired %v, error %v, want a retried success", k, fired, err)
				}
				after := dump()
				if got, want := countRows(after, "oauthreg_clients:"), countRows(before, "oauthreg_clients:")+1; got != want {
					t.Errorf("after Register retried at step %d: %d clients, want %d", k, got, want)
				}
				if got, want := countRows(after, "oauthreg_client_secrets:"), countRows(before, "oauthreg_client_secrets:")+1; got != want {
					t.Errorf("after Register retried at step %d: %d secret rows, want %d", k, got, want)
				}
				if got, err := reg.Get(ctx, c.ID); err != nil || len(got.Secrets) != 1 || got.Secrets[0].ID != plain.ID() {
					t.Errorf("after Register retried at step %d the client reads %v, %v", k, got, err)
				}
			}
		})
	})
}

// Statements that write last-used times: Store.TouchClient's UPDATE of the
// client row (SQLite, PostgreSQL: "UPDATE oauthreg_clients SET
// last_used_at"; MySQL: "UPDATE oauthreg_clients c LEFT JOIN ... SET
// c.last_used_at"), and of a secret row (SQLite's second statement).
var (
	clientTouchSQL = regexp.MustCompile(`UPDATE oauthreg_clients\b[^;]*?\bSET (c\.)?last_used_at = `)
	lastUsedSQL    = regexp.MustCompile(`UPDATE oauthreg_client(s|_secrets)\b[^;]*?\bSET (c\.|s\.)?last_used_at = `)
)

// TestRegistryLastUsedWrites checks at the SQL level that the last-used time
// is a throttled write: 10,000 successful authentications of one client
// within a minute (from 8 goroutines) run 10,000 reads and exactly one
// TouchClient, and the next one is due a minute after that write, not a
// microsecond earlier.
func TestRegistryLastUsedWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		db := faultyDB(t, e, inj)
		s := migratedStore(t, db, e.Dialect)
		reg, clock := sqlRegistry(t, s) // the default interval: one minute
		ctx := t.Context()
		c, secret, err := reg.Register(ctx, confidential("busy"))
		if err != nil {
			t.Fatal(err)
		}
		// SQLite's TouchClient is a transaction of two UPDATEs (the client
		// row, the secret row); PostgreSQL's and MySQL's one statement.
		writesPerTouch := 1
		if e.Dialect == sqlstore.SQLite {
			writesPerTouch = 2
		}

		// authenticate runs n authentications from workers goroutines,
		// each advancing the clock by step first, and returns the
		// statements they ran: the reads, the client last-used writes,
		// and every statement that is not a SELECT.
		authenticate := func(n, workers int, step time.Duration) (reads, touches int, writes []string) {
			t.Helper()
			inj.Arm(0, faultdriver.Before) // count only
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for range workers {
				wg.Go(func() {
					for range n / workers {
						clock.Advance(step)
						if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			stmts := inj.Statements()
			inj.Disarm()
			close(errs)
			for err := range errs {
				t.Fatalf("Authenticate: %v", err)
			}
			for _, q := range stmts {
				switch {
				case strings.HasPrefix(q, "SELECT "):
					reads++
				default:
					writes = append(writes, q)
					if clientTouchSQL.MatchString(q) {
						touches++
					}
					if !lastUsedSQL.MatchString(q) {
						t.Errorf("an authentication ran a write that is not a last-used UPDATE: %s", q)
					}
				}
			}
			return reads, touches, writes
		}

		const n = 10_000
		start := clock.Now()
		reads, touches, writes := authenticate(n, 8, 5*time.Millisecond) // 50 s in all
		if touches != 1 || len(writes) != writesPerTouch {
			t.Errorf("%d authentications within %v wrote the client's last-used time %d times (%d write statements: %q), want once",
				n, clock.Now().Sub(start), touches, len(writes), writes)
		}
		if reads != n {
			t.Errorf("%d authentications ran %d reads, want one each", n, reads)
		}
		stored, err := s.GetClient(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		written := stored.LastUsedAt
		if written.Before(start) || written.After(clock.Now()) || !stored.Secrets[0].LastUsedAt.Equal(written) {
			t.Fatalf("stored last-used times %v (client), %v (secret), want one time in [%v, %v]",
				written, stored.Secrets[0].LastUsedAt, start, clock.Now())
		}

		// Almost a minute after the write: still no write.
		clock.Set(written.Add(time.Minute - time.Microsecond))
		if _, touches, writes := authenticate(100, 4, 0); touches != 0 || len(writes) != 0 {
			t.Errorf("authentications %v after the last write wrote %d times: %q", time.Minute-time.Microsecond, touches, writes)
		}
		// A minute after it: exactly one more.
		clock.Set(written.Add(time.Minute))
		if _, touches, writes := authenticate(100, 4, 0); touches != 1 || len(writes) != writesPerTouch {
			t.Errorf("authentications a minute after the last write wrote %d times (%q), want once", touches, writes)
		}
		if stored, err = s.GetClient(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if want := written.Add(time.Minute); !stored.LastUsedAt.Equal(want) || !stored.Secrets[0].LastUsedAt.Equal(want) {
			t.Errorf("stored last-used times %v (client), %v (secret), want %v", stored.LastUsedAt, stored.Secrets[0].LastUsedAt, want)
		}
	})
}
