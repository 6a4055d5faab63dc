package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// connLossStats counts what the callers saw while their connections were
// being killed.
type connLossStats struct {
	calls, errs, typed, unknownOutcome, kills atomic.Int64
	mu                                        sync.Mutex
	untyped                                   []string
}

func (st *connLossStats) record(err error) {
	st.calls.Add(1)
	if err == nil {
		return
	}
	st.errs.Add(1)
	if errors.Is(err, oauthreg.ErrUnavailable) {
		st.typed.Add(1)
		if errors.Is(err, sqlstore.ErrOutcomeUnknown) {
			st.unknownOutcome.Add(1)
		}
		return
	}
	st.mu.Lock()
	if len(st.untyped) < 5 {
		msg := err.Error()
		if len(msg) > 300 {
			msg = msg[len(msg)-300:] // the driver's part is at the end
		}
		st.untyped = append(st.untyped, fmt.Sprintf("%T: %s", errors.Unwrap(err), msg))
	}
	st.mu.Unlock()
}

// runUnderKills runs workers concurrent callers of Authenticate, Get and a
// counting Update over reg for the given number of rounds each, while kill
// ends the store's own connections every few milliseconds. Then it checks
// that no Update was applied twice: the stored counter of each client lies
// between its successful increments and those plus the increments whose
// outcome was reported unknown.
func runUnderKills(t *testing.T, reg *oauthreg.Registry, kill func() int, workers, rounds int) *connLossStats {
	t.Helper()
	ctx := context.Background() // the test's own context is not what is killed
	st := &connLossStats{}
	type counted struct {
		id        string
		secret    string
		ok, maybe atomic.Int64
	}
	clients := make([]*counted, workers)
	for i := range clients {
		c, s, err := reg.Register(ctx, oauthreg.Client{Owner: "org", Name: fmt.Sprint("c", i),
			GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}, Metadata: map[string]string{"n": "0"}})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = &counted{id: c.ID, secret: s.Reveal()}
	}
	stop := make(chan struct{})
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		tick := time.NewTicker(killEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				st.kills.Add(int64(kill()))
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				c := clients[(w+r)%len(clients)]
				_, err := reg.Authenticate(ctx, c.id, c.secret)
				st.record(err)
				_, err = reg.Get(ctx, c.id)
				st.record(err)
				_, err = reg.Update(ctx, c.id, func(cl *oauthreg.Client) error {
					n, _ := strconv.Atoi(cl.Metadata["n"])
					cl.Metadata["n"] = strconv.Itoa(n + 1)
					return nil
				})
				st.record(err)
				switch {
				case err == nil:
					c.ok.Add(1)
				case errors.Is(err, sqlstore.ErrOutcomeUnknown):
					c.maybe.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-killerDone
	for _, c := range clients {
		var got *oauthreg.Client
		var err error
		for range 20 { // the last kill may still be settling
			if got, err = reg.Get(ctx, c.id); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("reading %s after the run: %v", c.id, err)
		}
		n, _ := strconv.Atoi(got.Metadata["n"])
		if ok, maybe := int(c.ok.Load()), int(c.maybe.Load()); n < ok || n > ok+maybe {
			t.Errorf("client %s: counter %d after %d successful increments and %d of unknown outcome: an update was lost or applied twice", c.id, n, ok, maybe)
		}
	}
	t.Logf("%d workers x %d rounds: %d calls, %d connections killed, %d errors, %d typed ErrUnavailable (%d of them ErrOutcomeUnknown), %d untyped",
		workers, rounds, st.calls.Load(), st.kills.Load(), st.errs.Load(), st.typed.Load(), st.unknownOutcome.Load(), st.errs.Load()-st.typed.Load())
	if st.kills.Load() == 0 {
		t.Fatal("no connection was killed: the test tested nothing")
	}
	if len(st.untyped) > 0 {
		t.Errorf("%d of %d errors are not oauthreg.ErrUnavailable, e.g. %q", st.errs.Load()-st.typed.Load(), st.errs.Load(), st.untyped)
	}
	return st
}

// killEvery is how often runUnderKills ends the pool's connections: often
// enough that about one call in ten meets a dead connection.
const killEvery = 15 * time.Millisecond

func uniqueTag(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestConnectionLossPostgres terminates the backends of the test's own pool
// (found by a unique application_name, never anyone else's) while callers
// authenticate, read and update: every error must be typed
// oauthreg.ErrUnavailable, and no update may be applied twice.
func TestConnectionLossPostgres(t *testing.T) {
	s, kill := postgresWithKiller(t)
	reg, _ := sqlRegistry(t, s)
	runUnderKills(t, reg, kill, 8, 30)
}

// TestConnectionLossBatchPostgres terminates the pool's backends once,
// at a random moment, during each of many CreateClients of a batch of
// clients: each batch is stored whole or not at all, whatever the error, a
// success is never reported for a batch that is not there, and every error
// is ErrUnavailable.
func TestConnectionLossBatchPostgres(t *testing.T) {
	s, kill := postgresWithKiller(t)
	ctx := context.Background()
	const rounds, size = 40, 100
	batch := func(r int) []*oauthreg.Client {
		cs := make([]*oauthreg.Client, size)
		for i := range cs {
			cs[i] = storetest.NewClient(fmt.Sprintf("batch-%02d-%03d", r, i))
			for j := range cs[i].Secrets {
				cs[i].Secrets[j].ID = fmt.Sprintf("%s-%d", cs[i].ID, j)
			}
		}
		return cs
	}
	began := time.Now()
	if err := s.CreateClients(ctx, batch(rounds)); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	var kills, failed, unknown, stored int
	for r := range rounds {
		cs := batch(r)
		killed := make(chan int)
		go func() {
			time.Sleep(time.Duration(mrand.Int64N(int64(2 * took))))
			killed <- kill()
		}()
		err := s.CreateClients(ctx, cs)
		kills += <-killed
		switch {
		case err == nil:
		case errors.Is(err, sqlstore.ErrOutcomeUnknown):
			unknown++
		case errors.Is(err, oauthreg.ErrUnavailable):
			failed++
		default:
			t.Errorf("round %d: an error that is not ErrUnavailable: %v", r, err)
		}
		present := 0
		for _, c := range cs {
			if _, gerr := s.GetClient(ctx, c.ID); gerr == nil {
				present++
			} else if !errors.Is(gerr, oauthreg.ErrNotFound) {
				t.Fatalf("round %d: reading back: %v", r, gerr)
			}
		}
		switch {
		case present != 0 && present != size:
			t.Fatalf("round %d: %d of %d clients of one batch are stored (error %v): half a batch", r, present, size, err)
		case err == nil && present == 0:
			t.Fatalf("round %d: CreateClients succeeded and stored nothing", r)
		case err != nil && !errors.Is(err, sqlstore.ErrOutcomeUnknown) && present == size:
			t.Fatalf("round %d: CreateClients failed (%v) but the batch is stored", r, err)
		case present == size:
			stored++
		}
	}
	t.Logf("%d batches of %d clients (%v each unhindered), one kill at a random moment in each: %d connections killed, %d batches stored, %d failed (nothing stored), %d of unknown outcome",
		rounds, size, took, kills, stored, failed, unknown)
	if kills == 0 {
		t.Fatal("no connection was killed: the test tested nothing")
	}
}

// postgresWithKiller returns a migrated store on PostgreSQL and a function
// that terminates the backends of its pool (found by a unique
// application_name, never anyone else's) and returns how many it ended.
func postgresWithKiller(t *testing.T) (*sqlstore.Store, func() int) {
	t.Helper()
	e := testdb.Engines()[1]
	e.Require(t)
	app := uniqueTag("oauthreg_connloss_")
	dsn, err := url.Parse(os.Getenv(testdb.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	q := dsn.Query()
	q.Set("application_name", app)
	dsn.RawQuery = q.Encode()
	t.Setenv(testdb.PostgresEnv, dsn.String())
	db := e.Open(t)
	db.SetMaxOpenConns(8)
	admin, err := sql.Open("pgx", os.Getenv(testdb.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	admin.SetMaxOpenConns(1)
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec("SET application_name = 'oauthreg_connloss_admin'"); err != nil {
		t.Fatal(err)
	}
	s := migratedStore(t, db, sqlstore.Postgres)
	return s, func() int {
		var n int
		if err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = $1 AND pid <> pg_backend_pid()`, app).Scan(&n); err != nil {
			t.Errorf("terminating: %v", err)
		}
		return n
	}
}

// TestConnectionLossMySQL kills the connections of the test's own pool
// (those whose current database is the test's own, fresh database) with
// KILL CONNECTION while callers authenticate, read and update.
func TestConnectionLossMySQL(t *testing.T) {
	e := testdb.Engines()[2]
	e.Require(t)
	// The driver logs every dead connection it meets; hundreds are expected.
	_ = mysql.SetLogger(log.New(io.Discard, "", 0))
	t.Cleanup(func() { _ = mysql.SetLogger(log.New(os.Stderr, "[mysql] ", log.Ldate|log.Ltime|log.Lshortfile)) })
	db := e.Open(t)
	db.SetMaxOpenConns(8)
	var name string
	if err := db.QueryRow("SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("mysql", os.Getenv(testdb.MySQLEnv))
	if err != nil {
		t.Fatal(err)
	}
	admin.SetMaxOpenConns(1)
	t.Cleanup(func() { admin.Close() })
	s := migratedStore(t, db, sqlstore.MySQL)
	reg, _ := sqlRegistry(t, s)
	kill := func() int {
		rows, err := admin.Query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", name)
		if err != nil {
			t.Errorf("listing connections: %v", err)
			return 0
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if rows.Scan(&id) == nil {
				ids = append(ids, id)
			}
		}
		rows.Close()
		n := 0
		for _, id := range ids {
			if _, err := admin.Exec("KILL CONNECTION " + strconv.FormatInt(id, 10)); err == nil {
				n++
			}
		}
		return n
	}
	runUnderKills(t, reg, kill, 8, 30)
}
