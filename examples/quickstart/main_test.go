package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// The quickstart's story holds on every SQL engine this run has (SQLite
// always; PostgreSQL and MariaDB when CI sets their DSNs).
func TestQuickstartStory(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			store, err := sqlstore.New(e.Open(t), e.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := run(context.Background(), &out, store); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			for _, want := range []string{
				"first secret                             accepted",
				"old secret, right after rotation         accepted",
				"old secret, 1 minute before grace ends   accepted",
				"old secret, grace period over            refused",
				"leaked secret                            refused",
				"regenerated secret                       accepted",
				"[REDACTED]",
			} {
				if !strings.Contains(s, want) {
					t.Errorf("output lacks %q:\n%s", want, s)
				}
			}
			if n := strings.Count(s, "shown once"); n != 3 {
				t.Errorf("%d plaintext secrets printed, want exactly 3 (one per issue)", n)
			}
		})
	}
}

// TestDefaultDatabase: the configured database wins; otherwise a file per
// user, never one shared by every user of the machine.
func TestDefaultDatabase(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	d := defaultDB(getenv)
	if d == filepath.Join(os.TempDir(), "oauthreg-quickstart.db") || !strings.Contains(d, strconv.Itoa(os.Getuid())) {
		t.Errorf("default database %q is not per user", d)
	}
	env["OAUTHREG_DB"] = "x.db"
	if d := defaultDB(getenv); d != "x.db" {
		t.Errorf("$OAUTHREG_DB: %q", d)
	}
	env["OAUTHREG_DATABASE"] = "postgres://h/db"
	if d := defaultDB(getenv); d != "postgres://h/db" {
		t.Errorf("$OAUTHREG_DATABASE: %q", d)
	}
}
