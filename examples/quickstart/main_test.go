package main

import (
	"bytes"
	"context"
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
