package storetest

import (
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

func (s suite) testTouchClient(t *testing.T) {
	at := BaseTime().Add(5*time.Hour + 7*time.Millisecond)

	s.run(t, "SetsLastUsed", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("touched")
		mustCreate(t, st, c)
		if err := st.TouchClient(t.Context(), "touched", "s1", at.In(time.FixedZone("CEST", 2*3600))); err != nil {
			t.Fatalf(`TouchClient("touched", "s1"): %v`, err)
		}
		want := c.Clone()
		want.LastUsedAt = at
		want.Secrets[1].LastUsedAt = at // s1; s3 and s2 keep theirs
		checkStored(t, st, want, "after TouchClient (it sets the client's and that secret's LastUsedAt, and changes nothing else, Version included)")

		// A second touch moves it again.
		later := at.Add(time.Minute)
		if err := st.TouchClient(t.Context(), "touched", "s2", later); err != nil {
			t.Fatalf(`TouchClient("touched", "s2"): %v`, err)
		}
		want.LastUsedAt = later
		want.Secrets[2].LastUsedAt = later
		checkStored(t, st, want, "after a second TouchClient with another secret")
	})

	s.run(t, "UpdateAfterTouch", func(t *testing.T, st oauthreg.Store) {
		mustCreate(t, st, NewClient("busy"))
		c := mustGet(t, st, "busy") // an updater reads version 1 ...
		if err := st.TouchClient(t.Context(), "busy", "s3", at); err != nil {
			t.Fatalf("TouchClient: %v", err)
		}
		c.Name = "renamed" // ... and writes after an authentication touched the client
		if err := st.UpdateClient(t.Context(), c); err != nil {
			t.Fatalf("UpdateClient with the version read before a TouchClient: %v (TouchClient must not change the version)", err)
		}
		if c.Version != 2 {
			t.Errorf("UpdateClient after a TouchClient set c.Version to %d, want 2", c.Version)
		}
		got := mustGet(t, st, "busy")
		if got.Version != 2 || got.Name != "renamed" {
			t.Errorf("after TouchClient and UpdateClient the stored client has version %d and name %q, want 2 and %q", got.Version, got.Name, "renamed")
		}
		// The update was made from a copy read before the touch: it must not
		// undo the touch (UpdateClient keeps the stored last-used times).
		if !got.LastUsedAt.Equal(at) {
			t.Errorf("UpdateClient overwrote the client's LastUsedAt %v (set by TouchClient) with %v from a stale copy; UpdateClient must keep the stored last-used times", at, got.LastUsedAt)
		}
		if sec, ok := got.Secret("s3"); !ok || !sec.LastUsedAt.Equal(at) {
			t.Errorf("UpdateClient overwrote secret s3's LastUsedAt %v (set by TouchClient) with %v from a stale copy", at, sec.LastUsedAt)
		}
	})

	s.run(t, "UpdateIgnoresGivenLastUsed", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("busy")
		mustCreate(t, st, c)
		stored := mustGet(t, st, "busy")
		stored.LastUsedAt = at.Add(time.Hour)
		stored.Secrets[0].LastUsedAt = at.Add(time.Hour)
		if err := st.UpdateClient(t.Context(), stored); err != nil {
			t.Fatalf("UpdateClient: %v", err)
		}
		got := mustGet(t, st, "busy")
		if !got.LastUsedAt.Equal(c.LastUsedAt) || !got.Secrets[0].LastUsedAt.Equal(c.Secrets[0].LastUsedAt) {
			t.Errorf("UpdateClient wrote LastUsedAt (client %v, secret %v); only TouchClient writes last-used times, UpdateClient keeps the stored ones (%v, %v)",
				got.LastUsedAt, got.Secrets[0].LastUsedAt, c.LastUsedAt, c.Secrets[0].LastUsedAt)
		}
	})

	s.run(t, "UnknownSecret", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("touched")
		mustCreate(t, st, c)
		if err := st.TouchClient(t.Context(), "touched", "no-such-secret", at); err != nil {
			t.Fatalf("TouchClient with an unknown secret ID returned %v, want no error (the secret may have been revoked in between)", err)
		}
		got := mustGet(t, st, "touched")
		// Whether the client's own LastUsedAt moves is up to the store.
		want := c.Clone()
		want.LastUsedAt = got.LastUsedAt
		checkClient(t, want, got, "after TouchClient with an unknown secret ID (nothing but the client's LastUsedAt may change)")
	})

	s.run(t, "UnknownClient", func(t *testing.T, st oauthreg.Store) {
		wantErr(t, st.TouchClient(t.Context(), "nope", "s1", at), oauthreg.ErrNotFound, `TouchClient("nope") on an empty store`)
		mustCreate(t, st, NewClient("yes"))
		wantErr(t, st.TouchClient(t.Context(), "nope", "s1", at), oauthreg.ErrNotFound, `TouchClient("nope")`)
		if _, err := st.GetClient(t.Context(), "nope"); err == nil {
			t.Error(`TouchClient("nope") created a client`)
		}
	})
}
