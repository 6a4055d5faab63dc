package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// testClientModifier runs when the store implements
// oauthreg.ClientModifier: ModifyClient writes what change left in the
// client as UpdateClient would, atomically; it reports a missing client
// without calling change; change's error, or a panic, writes nothing and
// leaves nothing locked; concurrent calls lose no update.
func (s suite) testClientModifier(t *testing.T) {
	if _, ok := s.store(t).(oauthreg.ClientModifier); !ok {
		t.Skip("the store does not implement oauthreg.ClientModifier (optional)")
	}
	modifier := func(st oauthreg.Store) oauthreg.ClientModifier { return st.(oauthreg.ClientModifier) }
	t0 := BaseTime()

	s.run(t, "WritesTheChange", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("modified")
		c.Secrets = []oauthreg.Secret{NewSecret("s1", t0), NewSecret("s2", t0.Add(time.Second)), NewSecret("s3", t0.Add(2*time.Second))}
		c.UserTags = []string{"old", "kept"}
		mustCreate(t, st, c)
		calls := 0
		got, err := modifier(st).ModifyClient(t.Context(), "modified", func(m *oauthreg.Client) error {
			calls++
			if m.Version != 1 {
				return fmt.Errorf("change got version %d, want 1 (the stored one)", m.Version)
			}
			if d := Diff(c, m); len(d) > 0 {
				return fmt.Errorf("change did not get the stored client: %v", d)
			}
			m.Name = "renamed"
			m.UserTags = []string{"kept", "new"}
			m.Secrets = append(m.Secrets[1:], NewSecret("s4", t0.Add(3*time.Second)))
			m.Secrets[0].RevokedAt = t0.Add(4 * time.Second)
			m.UpdatedAt = t0.Add(5 * time.Second)
			return nil
		})
		if err != nil {
			t.Fatalf("ModifyClient: %v", err)
		}
		if calls != 1 {
			t.Errorf("change ran %d times without any other writer, want 1", calls)
		}
		if got.Version != 2 {
			t.Errorf("ModifyClient returned version %d, want 2", got.Version)
		}
		want := mustGet(t, st, "modified")
		if d := Diff(want, got); len(d) > 0 {
			t.Errorf("ModifyClient returned something else than what is stored: %v", d)
		}
		if want.Name != "renamed" || want.Version != 2 || len(want.Secrets) != 3 || want.Secrets[2].ID != "s4" ||
			!want.Secrets[0].RevokedAt.Equal(t0.Add(4*time.Second)) || !want.UpdatedAt.Equal(t0.Add(5*time.Second)) {
			t.Errorf("stored client does not hold the change: %+v", want)
		}
		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{UserTag: "new"})
		if err != nil || len(page.Clients) != 1 {
			t.Errorf("listing by the added tag: %v, %d clients, want 1", err, len(page.Clients))
		}
		page, err = st.ListClients(t.Context(), oauthreg.ListQuery{UserTag: "old"})
		if err != nil || len(page.Clients) != 0 {
			t.Errorf("listing by the removed tag: %v, %d clients, want 0", err, len(page.Clients))
		}
		// A change that changes nothing still moves the version.
		got, err = modifier(st).ModifyClient(t.Context(), "modified", func(*oauthreg.Client) error { return nil })
		if err != nil || got.Version != 3 || mustGet(t, st, "modified").Version != 3 {
			t.Errorf("ModifyClient changing nothing: %v, version %d, want 3", err, got.Version)
		}
	})

	s.run(t, "KeepsIDVersionAndLastUsed", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("kept")
		c.Secrets = []oauthreg.Secret{NewSecret("s1", t0)}
		mustCreate(t, st, c)
		used := t0.Add(time.Hour)
		if err := st.TouchClient(t.Context(), "kept", "s1", used); err != nil {
			t.Fatal(err)
		}
		got, err := modifier(st).ModifyClient(t.Context(), "kept", func(m *oauthreg.Client) error {
			m.ID, m.Version = "elsewhere", 99
			m.LastUsedAt = t0.Add(2 * time.Hour)
			m.Secrets[0].LastUsedAt = t0.Add(2 * time.Hour)
			s2 := NewSecret("s2", t0)
			s2.LastUsedAt = t0.Add(2 * time.Hour)
			m.Secrets = append(m.Secrets, s2)
			return nil
		})
		if err != nil {
			t.Fatalf("ModifyClient: %v", err)
		}
		stored := mustGet(t, st, "kept")
		if _, err := st.GetClient(t.Context(), "elsewhere"); !errors.Is(err, oauthreg.ErrNotFound) {
			t.Errorf("a change of the ID created client %q: %v", "elsewhere", err)
		}
		if stored.Version != 2 || got.Version != 2 || got.ID != "kept" {
			t.Errorf("stored version %d, returned %q at %d; want kept at 2", stored.Version, got.ID, got.Version)
		}
		if !stored.LastUsedAt.Equal(used) || !stored.Secrets[0].LastUsedAt.Equal(used) || !stored.Secrets[1].LastUsedAt.IsZero() {
			t.Errorf("last-used times are TouchClient's: stored %v, %v, %v; want %v, %v, zero",
				stored.LastUsedAt, stored.Secrets[0].LastUsedAt, stored.Secrets[1].LastUsedAt, used, used)
		}
		if d := Diff(stored, got); len(d) > 0 {
			t.Errorf("ModifyClient returned something else than what is stored: %v", d)
		}
	})

	s.run(t, "NotFound", func(t *testing.T, st oauthreg.Store) {
		mustCreate(t, st, NewClient("present"))
		for _, id := range []string{"absent", "", "bad\x00id", "\xff", "PRESENT"} {
			called := false
			_, err := modifier(st).ModifyClient(t.Context(), id, func(*oauthreg.Client) error { called = true; return nil })
			if !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("ModifyClient(%q): %v, want ErrNotFound", id, err)
			}
			if called {
				t.Errorf("ModifyClient(%q) called change for a client that does not exist", id)
			}
		}
	})

	s.run(t, "ChangeErrorWritesNothing", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("refused")
		mustCreate(t, st, c)
		refused := errors.New("refused by change")
		_, err := modifier(st).ModifyClient(t.Context(), "refused", func(m *oauthreg.Client) error {
			m.Name = "half-done"
			m.Secrets = nil
			return refused
		})
		if err != refused {
			t.Errorf("ModifyClient returned %v, want change's own error as is", err)
		}
		if d := Diff(c, mustGet(t, st, "refused")); len(d) > 0 {
			t.Errorf("a refused change was stored: %v", d)
		}
	})

	s.run(t, "PanicLocksNothing", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("panicky")
		mustCreate(t, st, c)
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the change's panic", p)
				}
			}()
			_, _ = modifier(st).ModifyClient(t.Context(), "panicky", func(m *oauthreg.Client) error {
				m.Name = "half-done"
				panic("boom")
			})
		}()
		if d := Diff(c, mustGet(t, st, "panicky")); len(d) > 0 {
			t.Errorf("a panicking change was stored: %v", d)
		}
		// Nothing is left locked: the next writes go through at once
		// (well within a database's lock timeout).
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		if _, err := modifier(st).ModifyClient(ctx, "panicky", func(m *oauthreg.Client) error { m.Name = "after"; return nil }); err != nil {
			t.Fatalf("ModifyClient after a panic: %v", err)
		}
		got := mustGet(t, st, "panicky")
		if err := st.UpdateClient(ctx, got); err != nil {
			t.Fatalf("UpdateClient after a panic: %v", err)
		}
		if err := st.CreateClient(ctx, NewClient("other")); err != nil {
			t.Fatalf("CreateClient after a panic: %v", err)
		}
	})

	s.run(t, "DoneContext", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("cancelled")
		mustCreate(t, st, c)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := modifier(st).ModifyClient(ctx, "cancelled", func(m *oauthreg.Client) error { m.Name = "changed"; return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ModifyClient with a cancelled context: %v, want context.Canceled", err)
		}
		if d := Diff(c, mustGet(t, st, "cancelled")); len(d) > 0 {
			t.Errorf("ModifyClient with a cancelled context stored: %v", d)
		}
	})

	s.run(t, "NoLostUpdates", func(t *testing.T, st oauthreg.Store) {
		// 8 writers each make 6 changes that increment a counter and add
		// a secret; a store that detects conflicts instead of locking
		// returns ErrConflict, and the writer calls again.
		const writers, changes = 8, 6
		mustCreate(t, st, &oauthreg.Client{ID: "hot", Metadata: map[string]string{"n": "0"}, Secrets: []oauthreg.Secret{NewSecret("s0", t0)}})
		var (
			wg        sync.WaitGroup
			conflicts atomic.Int64
			errs      = make(chan error, writers)
		)
		for w := range writers {
			wg.Go(func() {
				for i := range changes {
					id := fmt.Sprintf("w%d-%d", w, i)
					for {
						_, err := modifier(st).ModifyClient(t.Context(), "hot", func(m *oauthreg.Client) error {
							n, err := strconv.Atoi(m.Metadata["n"])
							if err != nil {
								return err
							}
							m.Metadata["n"] = strconv.Itoa(n + 1)
							m.Secrets = append(m.Secrets, NewSecret(id, t0))
							return nil
						})
						if errors.Is(err, oauthreg.ErrConflict) {
							conflicts.Add(1)
							continue
						}
						if err != nil {
							errs <- fmt.Errorf("writer %d: %w", w, err)
							return
						}
						break
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got := mustGet(t, st, "hot")
		if got.Metadata["n"] != strconv.Itoa(writers*changes) || len(got.Secrets) != 1+writers*changes || got.Version != 1+writers*changes {
			t.Errorf("after %d changes: counter %s, %d secrets, version %d; updates were lost", writers*changes, got.Metadata["n"], len(got.Secrets), got.Version)
		}
		t.Logf("%d conflicts", conflicts.Load())
	})
}
