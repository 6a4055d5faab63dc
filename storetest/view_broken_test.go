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
