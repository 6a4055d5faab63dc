package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// testClientView runs when the store implements oauthreg.ClientViewer: a
// view is the stored client, a snapshot that no later write changes, and
// nothing a caller gets from it (its Clone) can change the store; a miss is
// ErrNotFound, with the zero view or a decoy that is one of the stored
// clients.
func (s suite) testClientView(t *testing.T) {
	viewer := func(t *testing.T, st oauthreg.Store) oauthreg.ClientViewer {
		t.Helper()
		v, ok := st.(oauthreg.ClientViewer)
		if !ok {
			t.Skip("the store does not implement oauthreg.ClientViewer")
		}
		return v
	}
	s.run(t, "MatchesGetClient", func(t *testing.T, st oauthreg.Store) {
		v := viewer(t, st)
		c := NewClient("viewed")
		mustCreate(t, st, c)
		view, err := v.ViewClient(t.Context(), "viewed")
		if err != nil {
			t.Fatalf("ViewClient: %v", err)
		}
		if view.IsZero() || view.ID() != "viewed" || view.Owner() != c.Owner || view.Version() != 1 {
			t.Fatalf("ViewClient: a view of %q, owner %q, version %d; want %q, %q, 1", view.ID(), view.Owner(), view.Version(), "viewed", c.Owner)
		}
		checkClient(t, mustGet(t, st, "viewed"), view.Clone(), "the clone of a view against GetClient")
	})
	s.run(t, "CloneIsTheCallers", func(t *testing.T, st oauthreg.Store) {
		v := viewer(t, st)
		mustCreate(t, st, NewClient("viewed"))
		want := mustGet(t, st, "viewed")
		view, err := v.ViewClient(t.Context(), "viewed")
		if err != nil {
			t.Fatal(err)
		}
		mutate(view.Clone())
		checkStored(t, st, want, "GetClient after the clone of a view was modified")
		again, err := v.ViewClient(t.Context(), "viewed")
		if err != nil {
			t.Fatal(err)
		}
		checkClient(t, want, again.Clone(), "a new view after the clone of a view was modified")
		checkClient(t, want, view.Clone(), "the view after its clone was modified")
	})
	s.run(t, "Snapshot", func(t *testing.T, st oauthreg.Store) {
		v := viewer(t, st)
		c := NewClient("viewed")
		mustCreate(t, st, c)
		before := mustGet(t, st, "viewed")
		view, err := v.ViewClient(t.Context(), "viewed")
		if err != nil {
			t.Fatal(err)
		}
		c.Name = "renamed"
		mustUpdate(t, st, c)
		if err := st.TouchClient(t.Context(), "viewed", c.Secrets[0].ID, BaseTime().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		checkClient(t, before, view.Clone(), "a view taken before an update and a touch")
		after, err := v.ViewClient(t.Context(), "viewed")
		if err != nil {
			t.Fatal(err)
		}
		if after.Version() != 2 || after.Clone().Name != "renamed" {
			t.Fatalf("a view after the update: version %d, name %q; want 2, %q", after.Version(), after.Clone().Name, "renamed")
		}
		if err := st.DeleteClient(t.Context(), "viewed"); err != nil {
			t.Fatal(err)
		}
		checkClient(t, before, view.Clone(), "a view taken before a delete")
	})
	s.run(t, "NotFound", func(t *testing.T, st oauthreg.Store) {
		v := viewer(t, st)
		unknown := []string{"missing", "", "bad\x00id", "\xff", "viewed-0", "VIEWED-1"}
		// An empty store has no record to hand out as a decoy.
		for _, id := range unknown {
			view, err := v.ViewClient(t.Context(), id)
			if !errors.Is(err, oauthreg.ErrNotFound) || !view.IsZero() {
				t.Errorf("ViewClient(%q) on an empty store = a view of %v, %v; want the zero view and ErrNotFound", id, !view.IsZero(), err)
			}
		}
		// With clients stored, a miss may hand out a decoy: a view of one
		// of them, exactly as stored, never of the ID asked for.
		stored := map[string]*oauthreg.Client{}
		for _, id := range []string{"viewed-1", "viewed-2", "viewed-3"} {
			mustCreate(t, st, NewClient(id))
			stored[id] = mustGet(t, st, id)
		}
		for _, id := range unknown {
			view, err := v.ViewClient(t.Context(), id)
			if !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("ViewClient(%q) = %v; want ErrNotFound", id, err)
				continue
			}
			if view.IsZero() {
				continue
			}
			want, ok := stored[view.ID()]
			if !ok {
				t.Errorf("ViewClient(%q) handed out a decoy of %q, which is not a stored client", id, view.ID())
				continue
			}
			checkClient(t, want, view.Clone(), "the clone of a decoy against GetClient of its client")
		}
	})
	s.run(t, "Cancelled", func(t *testing.T, st oauthreg.Store) {
		v := viewer(t, st)
		mustCreate(t, st, NewClient("viewed"))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if view, err := v.ViewClient(ctx, "viewed"); !errors.Is(err, context.Canceled) || !view.IsZero() {
			t.Fatalf("ViewClient with a cancelled context = a view of %v, %v; want the zero view and context.Canceled", !view.IsZero(), err)
		}
	})
}
