package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/storetest"
)

// inPlaceViewer is a ClientViewer that gets copy-on-write wrong: its views
// point to records that UpdateClient then overwrites in place.
type inPlaceViewer struct {
	*memstore.Store
	mu   sync.Mutex
	recs map[string]*oauthreg.Client
}

func (s *inPlaceViewer) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	c, err := s.Store.GetClient(ctx, id)
	if err != nil {
		return oauthreg.ClientView{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recs[id]; ok {
		*rec = *c
		return oauthreg.ViewOf(rec), nil
	}
	s.recs[id] = c
	return oauthreg.ViewOf(c), nil
}

func (s *inPlaceViewer) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	if err := s.Store.UpdateClient(ctx, c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recs[c.ID]; ok {
		*rec = *c.Clone()
	}
	return nil
}

// TestSuiteCatchesViewsThatChange runs the suite on inPlaceViewer in a child
// process and expects ClientView/Snapshot to fail.
func TestSuiteCatchesViewsThatChange(t *testing.T) {
	if os.Getenv("STORETEST_BROKEN_VIEW") != "" {
		storetest.Run(t, func(*testing.T) oauthreg.Store {
			return &inPlaceViewer{Store: memstore.New(), recs: map[string]*oauthreg.Client{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesViewsThatChange$", "-test.v")
	cmd.Env = append(os.Environ(), "STORETEST_BROKEN_VIEW=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("the suite passed a store whose views change after an update")
	}
	if !strings.Contains(string(out), "--- FAIL: TestSuiteCatchesViewsThatChange/ClientView/Snapshot ") {
		t.Fatalf("ClientView/Snapshot did not fail:\n%s", out)
	}
}
