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

// staleViewer is a ClientViewer that gets its views wrong the one way
// immutable records still allow: it caches the first view of each client
// and hands it out after updates. (A view of an oauthreg.ClientRecord is a
// snapshot by construction: no store can change a record in place.)
type staleViewer struct {
	*memstore.Store
	mu    sync.Mutex
	views map[string]oauthreg.ClientView
}

func (s *staleViewer) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.views[id]; ok {
		return v, nil
	}
	v, err := s.Store.ViewClient(ctx, id)
	if err == nil {
		s.views[id] = v
	}
	return v, err
}

// TestSuiteCatchesStaleViews runs the suite on staleViewer in a child
// process and expects ClientView/Snapshot to fail.
func TestSuiteCatchesStaleViews(t *testing.T) {
	if os.Getenv("STORETEST_BROKEN_VIEW") != "" {
		storetest.Run(t, func(*testing.T) oauthreg.Store {
			return &staleViewer{Store: memstore.New(), views: map[string]oauthreg.ClientView{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesStaleViews$", "-test.v")
	cmd.Env = append(os.Environ(), "STORETEST_BROKEN_VIEW=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("the suite passed a store whose views do not follow its updates")
	}
	if !strings.Contains(string(out), "--- FAIL: TestSuiteCatchesStaleViews/ClientView/Snapshot ") {
		t.Fatalf("ClientView/Snapshot did not fail:\n%s", out)
	}
}

// madeUpDecoyViewer hands out, with ErrNotFound, a view of a client that
// is not in the store: the suite must refuse such a decoy.
type madeUpDecoyViewer struct {
	*memstore.Store
}

func (s madeUpDecoyViewer) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	v, err := s.Store.ViewClient(ctx, id)
	if err != nil && ctx.Err() == nil {
		return oauthreg.ViewOf(oauthreg.NewClientRecord(&oauthreg.Client{ID: "made-up"})), err
	}
	return v, err
}

// TestSuiteCatchesMadeUpDecoys runs the suite on madeUpDecoyViewer in a
// child process and expects ClientView/NotFound to fail.
func TestSuiteCatchesMadeUpDecoys(t *testing.T) {
	if os.Getenv("STORETEST_MADE_UP_DECOY") != "" {
		storetest.Run(t, func(*testing.T) oauthreg.Store { return madeUpDecoyViewer{Store: memstore.New()} })
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesMadeUpDecoys$", "-test.v")
	cmd.Env = append(os.Environ(), "STORETEST_MADE_UP_DECOY=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("the suite passed a store whose decoys are not stored clients")
	}
	if !strings.Contains(string(out), "--- FAIL: TestSuiteCatchesMadeUpDecoys/ClientView/NotFound ") {
		t.Fatalf("ClientView/NotFound did not fail:\n%s", out)
	}
}
