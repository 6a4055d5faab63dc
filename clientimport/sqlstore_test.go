package clientimport_test

import (
	"testing"

	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
)

// TestRefusalInTheMiddleSQL runs the all-or-nothing checks on sqlstore:
// SQLite always, PostgreSQL and MySQL/MariaDB when their DSNs are set
// (OAUTHREG_TEST_POSTGRES, OAUTHREG_TEST_MYSQL).
func TestRefusalInTheMiddleSQL(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			e.Require(t)
			s, err := sqlstore.New(e.Open(t), e.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			checkRefusalInTheMiddle(t, s)
		})
	}
}
