// Package storetest is the conformance suite for implementations of
// oauthreg.Store. Every store in this module (memstore, and sqlstore on each
// SQL engine) runs it, and so should a third-party store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) oauthreg.Store {
//			return mystore.Open(t.TempDir()) // fresh and empty each time
//		})
//	}
//
// Run calls newStore once per test case, with that case's t, and expects a
// fresh, empty store each time; newStore may use t.Cleanup to release it. Subtests run one after
// another, never in parallel. The whole suite takes well under a second on
// memstore and a few seconds on a database across a network; the largest
// fixture is 1,001 clients (to check the MaxPageSize cap).
//
// # What the suite holds a store to
//
// Beyond what the oauthreg.Store documentation says, these rules settle the
// points it leaves to the implementation. Where a rule is strict it is so
// because the Registry, or a user, depends on it.
//
// Round trip. Every field of a Client and of its Secrets reads back as it
// was written, with these equivalences only (see Diff):
//   - nil and empty are the same for slices and maps: a store may return nil
//     for an empty one, or an empty one for nil;
//   - a nil RotationPolicy stays nil and a non-nil one stays non-nil, even
//     when all its fields are zero (it means "this client overrides the
//     Registry's policy with zero values");
//   - times are compared with time.Time.Equal: a store may return them in
//     any location (UTC is usual) and without a monotonic reading, and must
//     keep the instant. Times given in a zone other than UTC must come back
//     as the same instant;
//   - time precision: the suite's fixtures are whole milliseconds, and one
//     subtest (CreateGet/TimePrecision) requires whole microseconds to
//     survive, because the Registry truncates its clock to microseconds and
//     expects its times back unchanged. Times in the suite lie between 1970
//     and the end of 2099; a store must hold at least that range;
//   - durations (token TTLs, the rotation policy's) are kept exactly, to the
//     nanosecond: they are int64s;
//   - strings are kept byte for byte: any valid UTF-8 without NUL bytes, with
//     quotes, backslashes, commas, newlines and SQL syntax, and an empty
//     string as a metadata value;
//   - slices keep their order, Client.Secrets above all: secrets are oldest
//     first by position, not by CreatedAt (with a fake clock several secrets
//     share one) and not by ID;
//   - sizes a store must hold: every limit of oauthreg's limits.go at once
//     (see ClientAtLimits), with characters that grow when encoded.
//
// IDs. Client IDs are compared as exact byte strings: "a", "A", "a " (with a
// trailing space), "ä" and "a\u0308" are five different clients. Case- or
// accent-insensitive collations and PAD SPACE comparison (MySQL and MariaDB
// defaults) fail this. IDs are never empty, and are valid UTF-8 without NUL
// (what PostgreSQL can hold as text): CreateClient refuses any other ID, and
// GetClient, UpdateClient, DeleteClient, DeleteClientAt and TouchClient of
// one answer ErrNotFound, never a driver error; ListClients by such an owner
// is an empty page, and a cursor that decodes to such an ID is
// ErrInvalidCursor.
//
// Versions. CreateClient stores Version 1 whatever c.Version holds and sets
// c.Version to 1. UpdateClient succeeds only with the stored version, stores
// c.Version+1 and sets c.Version to it; a failed update changes nothing in the
// store. TouchClient never changes the version. TouchClient with a secret ID
// the client does not have succeeds; whether it still sets the client's
// LastUsedAt is left to the store (memstore does).
//
// Copies. A store never shares memory with its callers: changing a client
// after passing it to CreateClient or UpdateClient, or after receiving it
// from GetClient or ListClients, does not change what is stored.
//
// Views. A store that implements oauthreg.ClientViewer hands out views of
// immutable records: a view's Clone equals GetClient, a view taken before an
// update, a touch or a delete still shows the client as it was, and
// modifying a view's Clone changes neither the store nor the view. A miss
// is ErrNotFound, with the zero view or a decoy that is one of the stored
// clients exactly as stored (never anything else).
//
// Listing. ListClients orders by ID in byte order (as Go's < on strings;
// PostgreSQL's COLLATE "C"; in MySQL and MariaDB a binary NO PAD collation
// such as VARBINARY, utf8mb4_0900_bin or utf8mb4_nopad_bin, not the PAD SPACE
// utf8mb4_bin). Every page except
// the last holds exactly ListQuery.EffectiveLimit() clients, and the page
// holding the last client has an empty NextCursor (fetch one row more than
// the limit to know). Listed clients are complete, secrets included, and
// equal to what GetClient returns. A cursor that the store cannot decode
// yields an error wrapping oauthreg.ErrInvalidCursor. Clients created or
// deleted between two pages never make another client be skipped or listed
// twice.
//
// Errors. Errors wrap the oauthreg sentinels (ErrNotFound, ErrAlreadyExists,
// ErrConflict, ErrInvalidCursor) and are tested with errors.Is, never by
// message. A context that is already cancelled makes every method return an
// error wrapping context.Canceled and change nothing.
//
// Batches. A store that implements oauthreg.BatchCreator stores a whole
// batch or nothing: a taken ID anywhere in it, an ID used twice, a client
// CreateClient would refuse, more than oauthreg.MaxImportClients clients or
// a done context store none of its clients; a batch at the limit is stored
// in one call; of two concurrent batches that share an ID exactly one is
// stored.
//
// Modifications. A store that implements oauthreg.ClientModifier hands
// change the client as stored and writes what change left in it as
// UpdateClient would (the next version; the ID, the version and the
// last-used times are the store's, whatever change sets); it never calls
// change for a client that does not exist; change's error comes back as
// is, unwrapped, and a panic in change propagates; either way nothing is
// written and nothing stays locked; concurrent calls that call again on
// ErrConflict lose no update.
//
// Concurrency. Concurrent read-modify-write loops that retry on ErrConflict
// lose no update; of concurrent CreateClient calls with one ID exactly one
// succeeds and the others return ErrAlreadyExists (not a deadlock or
// serialization error); TouchClient running alongside updates succeeds every
// time. The suite calls a store from several goroutines at once, also to
// create its larger fixtures, and is meant to run under the race detector.
package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// Run runs the conformance suite against the stores newStore returns. It
// calls newStore once per subtest, with that subtest's t, and expects a
// fresh, empty store each time.
func Run(t *testing.T, newStore func(t *testing.T) oauthreg.Store) {
	t.Helper()
	if newStore == nil {
		t.Fatal("storetest.Run: newStore is nil")
	}
	s := suite{newStore: newStore}
	t.Run("CreateGet", s.testCreateGet)
	t.Run("GetClient", s.testGetClient)
	t.Run("UpdateClient", s.testUpdateClient)
	t.Run("PartialUpdates", s.testPartialUpdates)
	t.Run("DeleteClient", s.testDeleteClient)
	t.Run("ListClients", s.testListClients)
	t.Run("ListFilters", s.testListFilters)
	t.Run("SecretLocator", s.testSecretLocator)
	t.Run("TouchClient", s.testTouchClient)
	t.Run("SecretsExpiring", s.testSecretsExpiring)
	t.Run("Context", s.testContext)
	t.Run("Limits", s.testLimits)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("InvalidUTF8", s.testInvalidUTF8)
	t.Run("DeleteClientAt", s.testDeleteClientAt)
	t.Run("BatchCreator", s.testBatchCreator)
	t.Run("ClientModifier", s.testClientModifier)
	t.Run("ClientView", s.testClientView)
	t.Run("UnstorableInput", s.testUnstorableInput)
	t.Run("Registry", s.testRegistry)
	t.Run("ErrorEcho", s.testErrorEcho)
}

type suite struct {
	newStore func(t *testing.T) oauthreg.Store
}

// store returns a fresh store for t.
func (s suite) store(t *testing.T) oauthreg.Store {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("newStore returned a nil Store")
	}
	return st
}

// run runs f as a subtest with a fresh store.
func (s suite) run(t *testing.T, name string, f func(t *testing.T, st oauthreg.Store)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		f(t, s.store(t))
	})
}

func mustCreate(t *testing.T, st oauthreg.Store, c *oauthreg.Client) {
	t.Helper()
	if err := st.CreateClient(t.Context(), c); err != nil {
		t.Fatalf("CreateClient(%q): %v", c.ID, err)
	}
	if c.Version != 1 {
		t.Fatalf("CreateClient(%q) set c.Version to %d, want 1", c.ID, c.Version)
	}
}

func mustGet(t *testing.T, st oauthreg.Store, id string) *oauthreg.Client {
	t.Helper()
	c, err := st.GetClient(t.Context(), id)
	if err != nil {
		t.Fatalf("GetClient(%q): %v", id, err)
	}
	if c == nil {
		t.Fatalf("GetClient(%q) returned a nil client and no error", id)
	}
	return c
}

func mustUpdate(t *testing.T, st oauthreg.Store, c *oauthreg.Client) {
	t.Helper()
	before := c.Version
	if err := st.UpdateClient(t.Context(), c); err != nil {
		t.Fatalf("UpdateClient(%q) at version %d: %v", c.ID, before, err)
	}
	if c.Version != before+1 {
		t.Fatalf("UpdateClient(%q) at version %d set c.Version to %d, want %d", c.ID, before, c.Version, before+1)
	}
}

// checkStored fails t unless the stored client equals want.
func checkStored(t *testing.T, st oauthreg.Store, want *oauthreg.Client, context string) {
	t.Helper()
	got := mustGet(t, st, want.ID)
	checkClient(t, want, got, context)
}

// checkClient fails t with Diff's lines unless got equals want.
func checkClient(t *testing.T, want, got *oauthreg.Client, context string) {
	t.Helper()
	if d := Diff(want, got); len(d) > 0 {
		plural := "s"
		if len(d) == 1 {
			plural = ""
		}
		t.Errorf("%s: client %+q differs from what was stored (%d difference%s):\n\t%s",
			context, want.ID, len(d), plural, joinLines(d))
	}
}

// wantErr fails t unless err wraps target.
func wantErr(t *testing.T, err, target error, call string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s returned no error, want one wrapping %v", call, target)
	case !errors.Is(err, target):
		t.Errorf("%s returned %q, which does not wrap %v (errors.Is is false; wrap the sentinel with %%w)", call, err, target)
	}
}

func joinLines(lines []string) string { return strings.Join(lines, "\n\t") }

// withVersion returns a copy of c with Version v, the form in which a store
// hands c back.
func withVersion(c *oauthreg.Client, v int64) *oauthreg.Client {
	c = c.Clone()
	c.Version = v
	return c
}

// cancelled returns a context that is already cancelled.
func cancelled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
