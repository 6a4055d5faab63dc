package sqlstore_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/internal/faultdriver"
	"github.com/oauthreg/oauthreg/internal/testdb"
	"github.com/oauthreg/oauthreg/sqlstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// TestBatchAtomicity fails every step (BEGIN, each statement, COMMIT) of a
// CreateClients of clients with secrets and tags, before and after the
// step reaches the database: the batch is then stored whole or not at all,
// a success is never reported for a batch that is not there, and a failure
// that is not ErrOutcomeUnknown leaves nothing, not even an orphan secret
// row.
func TestBatchAtomicity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e testdb.Engine) {
		inj := faultdriver.NewInjector()
		s, secretRows := faultyStore(t, e, inj, sqlstore.WithMaxAttempts(1))
		ctx := t.Context()
		batch := func(prefix string) []*oauthreg.Client {
			cs := make([]*oauthreg.Client, 3)
			for i := range cs {
				cs[i] = storetest.NewClient(fmt.Sprintf("%s-%d", prefix, i))
				cs[i].UserTags = []string{"u1", "u2"}
				cs[i].SystemTags = []string{"s1"}
			}
			return cs
		}
		inj.Arm(0, faultdriver.Before)
		if err := s.CreateClients(ctx, batch("count")); err != nil {
			t.Fatal(err)
		}
		steps := inj.Count()
		t.Logf("CreateClients of 3 clients on %s: %d steps", e.Name, steps)
		inj.Disarm()
		for k := 1; k <= steps; k++ {
			for _, mode := range []faultdriver.Mode{faultdriver.Before, faultdriver.After} {
				prefix := fmt.Sprintf("b%d%v", k, mode)
				cs := batch(prefix)
				inj.Arm(k, mode)
				err := s.CreateClients(ctx, cs)
				fired := inj.Fired()
				inj.Disarm()
				if !fired {
					t.Fatalf("step %d (%v) was not reached", k, mode)
				}
				present, rows := 0, 0
				for _, c := range cs {
					switch _, gerr := s.GetClient(ctx, c.ID); {
					case gerr == nil:
						present++
					case !errors.Is(gerr, oauthreg.ErrNotFound):
						t.Fatal(gerr)
					}
					rows += secretRows(c.ID)
				}
				switch {
				case present != 0 && present != len(cs):
					t.Errorf("step %d (%v): %d of %d clients stored (error %v)", k, mode, present, len(cs), err)
				case err == nil && present == 0:
					t.Errorf("step %d (%v): CreateClients succeeded and stored nothing", k, mode)
				case err != nil && !errors.Is(err, sqlstore.ErrOutcomeUnknown) && (present != 0 || rows != 0):
					t.Errorf("step %d (%v): CreateClients failed (%v) but %d clients and %d secret rows are stored", k, mode, err, present, rows)
				}
			}
		}
	})
}
