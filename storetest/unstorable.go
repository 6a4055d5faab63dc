package storetest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// unstorableIDs are strings no store can hold as text on every engine: a
// NUL byte (PostgreSQL refuses it in text), bytes that are not UTF-8, a
// truncated multi-byte sequence and an ID far beyond any column's size.
var unstorableIDs = map[string]string{
	"NUL":           "client\x00id",
	"invalid UTF-8": "client\xff\xfeid",
	"truncated":     "client\xc3",
	"2 MB":          strings.Repeat("a", 2<<20),
}

// testUnstorableInput holds every store to one answer for input that names
// nothing it could hold: CreateClient refuses an ID that is not valid UTF-8
// or holds NUL, and a read, update, touch or delete of such an ID is
// ErrNotFound (as for any unknown client), a listing by such an owner is
// empty, and a cursor that is not one the store produced is
// ErrInvalidCursor. None of it may surface as an untyped driver error (for
// instance PostgreSQL's SQLSTATE 22021), which a server would answer with a
// 500 where an unknown client deserves invalid_client.
func (s suite) testUnstorableInput(t *testing.T) {
	s.run(t, "IDsAreNotFound", func(t *testing.T, st oauthreg.Store) {
		ctx := t.Context()
		mustCreate(t, st, NewClient("client"))
		for name, id := range unstorableIDs {
			if _, err := st.GetClient(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("GetClient(%s ID): %v, want ErrNotFound", name, short(err))
			}
			if err := st.DeleteClient(ctx, id); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("DeleteClient(%s ID): %v, want ErrNotFound", name, short(err))
			}
			if vd, ok := st.(oauthreg.VersionedDeleter); ok {
				if err := vd.DeleteClientAt(ctx, id, 1); !errors.Is(err, oauthreg.ErrNotFound) {
					t.Errorf("DeleteClientAt(%s ID): %v, want ErrNotFound", name, short(err))
				}
			}
			if err := st.TouchClient(ctx, id, "s1", BaseTime()); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("TouchClient(%s ID): %v, want ErrNotFound", name, short(err))
			}
			c := NewClient("x")
			c.ID, c.Version = id, 1
			if err := st.UpdateClient(ctx, c); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("UpdateClient(%s ID): %v, want ErrNotFound", name, short(err))
			}
			if name != "2 MB" { // sizes are another rule's business
				c := NewClient("x")
				c.ID = id
				if err := st.CreateClient(ctx, c); err == nil {
					t.Errorf("CreateClient(%s ID) succeeded: such an ID must be refused, then it is never found", name)
				}
			}
			page, err := st.ListClients(ctx, oauthreg.ListQuery{Owner: id})
			if err != nil || len(page.Clients) != 0 {
				t.Errorf("ListClients(Owner: %s): %d clients, %v; want an empty page", name, len(page.Clients), short(err))
			}
		}
		mustGet(t, st, "client")
	})
	s.run(t, "RegistryAnswersUnknownClient", func(t *testing.T, st oauthreg.Store) {
		var mu sync.Mutex
		var reasons []oauthreg.FailureReason
		reg, _ := newRegistry(t, st, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
			mu.Lock()
			defer mu.Unlock()
			if e.Type == oauthreg.EventAuthFailed {
				reasons = append(reasons, e.Reason)
			}
		})))
		_, secret := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
		for name, id := range unstorableIDs {
			reasons = nil
			if _, err := reg.Authenticate(t.Context(), id, secret.Reveal()); err != oauthreg.ErrInvalidCredentials {
				t.Errorf("Authenticate(%s ID): %v, want ErrInvalidCredentials (invalid_client, not a 500)", name, short(err))
			}
			if len(reasons) != 1 || reasons[0] != oauthreg.ReasonUnknownClient {
				t.Errorf("Authenticate(%s ID): auth.failed reasons %q, want [unknown_client]", name, reasons)
			}
			if _, err := reg.Get(t.Context(), id); !errors.Is(err, oauthreg.ErrNotFound) {
				t.Errorf("Registry.Get(%s ID): %v, want ErrNotFound", name, short(err))
			}
		}
	})
	s.run(t, "CursorsAreInvalid", func(t *testing.T, st oauthreg.Store) {
		for i := range 3 {
			mustCreate(t, st, NewClient(string(rune('a'+i))))
		}
		for name, cursor := range map[string]string{
			"NUL":           "\x00",
			"invalid UTF-8": "\xff\xfe",
			"not base64":    "*** not a cursor ***",
			"2 MB":          strings.Repeat("A", 2<<20),
			"NUL inside":    "AQBhAA",
		} {
			if _, err := st.ListClients(t.Context(), oauthreg.ListQuery{Cursor: cursor, Limit: 1}); !errors.Is(err, oauthreg.ErrInvalidCursor) {
				t.Errorf("ListClients(Cursor: %s): %v, want ErrInvalidCursor", name, short(err))
			}
		}
	})
}

// short bounds an error's text for a test message (some carry the input).
func short(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
