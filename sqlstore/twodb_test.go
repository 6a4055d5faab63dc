package sqlstore_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestSQLiteTwoDBsUpdate runs rotations of the same clients through two
// *sql.DB (two processes, as far as SQLite can tell) on one database file,
// with retries turned off: every UpdateClient either succeeds or fails with
// ErrConflict (never SQLITE_BUSY, which the lock its first statement takes
// rules out), and no rotation is lost or leaves two newest secrets.
func TestSQLiteTwoDBsUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	open := func() *sqlstore.Store {
		db, err := sql.Open("sqlite", testdb.SQLiteDSN(path))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return migratedStore(t, db, sqlstore.SQLite, sqlstore.WithMaxAttempts(1))
	}
	stores := []*sqlstore.Store{open(), open()}
	ctx := t.Context()
	const clients, workers, rounds = 3, 8, 30
	for i := range clients {
		if err := stores[0].CreateClient(ctx, storetest.NewClient(fmt.Sprintf("two-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	t0 := storetest.BaseTime()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied = map[string][]string{} // client -> secret IDs added by successful updates
	)
	for w := range workers {
		s := stores[w%2]
		wg.Go(func() {
			for r := range rounds {
				id := fmt.Sprintf("two-%d", (w+r)%clients)
				c, err := s.GetClient(ctx, id)
				if err != nil {
					t.Error(err)
					return
				}
				sid := fmt.Sprintf("w%d-r%d", w, r)
				c.Secrets = append(c.Secrets, storetest.NewSecret(sid, t0.Add(time.Duration(r)*time.Minute)))
				if len(c.Secrets) > 4 {
					c.Secrets = c.Secrets[1:]
				}
				switch err := s.UpdateClient(ctx, c); {
				case err == nil:
					mu.Lock()
					applied[id] = append(applied[id], sid)
					mu.Unlock()
				case errors.Is(err, oauthreg.ErrConflict):
				default:
					t.Errorf("update %s of %s: %v (want success or ErrConflict)", sid, id, err)
				}
			}
		})
	}
	wg.Wait()
	for i := range clients {
		id := fmt.Sprintf("two-%d", i)
		c, err := stores[1].GetClient(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(1 + len(applied[id])); c.Version != want {
			t.Errorf("%s: version %d after %d successful updates; want %d", id, c.Version, len(applied[id]), want)
		}
		for _, sec := range c.Secrets {
			if !slices.Contains(applied[id], sec.ID) && !strings.HasPrefix(sec.ID, id) {
				t.Errorf("%s: stored secret %s was added by no successful update", id, sec.ID)
			}
		}
	}
}
