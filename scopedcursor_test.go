package oauthreg_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// A non-leaf organization's listing that stops at the scan cap must not
// hand out a cursor naming a client the principal cannot reach.
func TestScopedListCursorRevealsNoForeignID(t *testing.T) {
	tree := oauthreg.MapOrgTree{"team": "parent"}
	reg, err := oauthreg.New(memstore.New(), oauthreg.WithOrgTree(tree))
	if err != nil {
		t.Fatal(err)
	}
	// 2,500 foreign clients sort before the principal's only one, so the
	// first page hits the scan cap (2,000) with nothing to show.
	var foreign []string
	for i := range 2500 {
		c, _, err := reg.Register(ctx, oauthreg.Client{ID: fmt.Sprintf("a-foreign-%05d", i), Owner: "other"})
		if err != nil {
			t.Fatal(err)
		}
		foreign = append(foreign, c.ID)
	}
	mine, _, err := reg.Register(ctx, oauthreg.Client{ID: "z-mine", Owner: "team"})
	if err != nil {
		t.Fatal(err)
	}
	view := reg.As(oauthreg.UserPrincipal("alice", "parent", oauthreg.RoleOrgOwner))
	var got []string
	q := oauthreg.ListQuery{Limit: 10}
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("listing does not end")
		}
		page, err := view.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Clients {
			got = append(got, c.ID)
		}
		if page.NextCursor == "" {
			break
		}
		for _, decoded := range decodings(page.NextCursor) {
			for _, id := range foreign {
				if strings.Contains(decoded, id) {
					t.Fatalf("NextCursor %q decodes to %q, the ID of a client out of reach", page.NextCursor, decoded)
				}
			}
		}
		q.Cursor = page.NextCursor
	}
	if len(got) != 1 || got[0] != mine.ID {
		t.Fatalf("listed %q, want only %q", got, mine.ID)
	}
	// A cursor the view did not issue is refused, whatever it names.
	for _, c := range []string{base64.RawURLEncoding.EncodeToString([]byte("a-foreign-00001")), "garbage", "\x00"} {
		if _, err := view.List(ctx, oauthreg.ListQuery{Cursor: c}); !errors.Is(err, oauthreg.ErrInvalidCursor) {
			t.Errorf("List with a forged cursor %q: %v, want ErrInvalidCursor", c, err)
		}
	}
	// Another principal's cursor is not this one's.
	page, _ := view.List(ctx, oauthreg.ListQuery{Limit: 1})
	other := reg.As(oauthreg.UserPrincipal("bob", "team-b-parent", oauthreg.RoleOrgOwner))
	if page.NextCursor != "" {
		if _, err := other.List(ctx, oauthreg.ListQuery{Cursor: page.NextCursor}); !errors.Is(err, oauthreg.ErrInvalidCursor) {
			t.Errorf("List with another organization's cursor: %v, want ErrInvalidCursor", err)
		}
	}
}

// decodings returns s and what it decodes to in the base64 alphabets a
// store cursor may use.
func decodings(s string) []string {
	out := []string{s}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// A scoped Register with a chosen ID that another organization holds is
// refused as taken (client IDs are one namespace for the whole server, as
// RFC 7591 requires), without telling anything else about that client and
// without changing it. The documented way to learn nothing is to let the
// Registry generate IDs.
func TestScopedRegisterTakenForeignID(t *testing.T) {
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := reg.Register(ctx, oauthreg.Client{ID: "taken", Owner: "other-org", Name: "Secret Project"})
	if err != nil {
		t.Fatal(err)
	}
	view := reg.As(oauthreg.UserPrincipal("alice", "my-org", oauthreg.RoleOrgOwner))
	_, _, err = view.Register(ctx, oauthreg.Client{ID: "taken"})
	if !errors.Is(err, oauthreg.ErrAlreadyExists) {
		t.Fatalf("scoped Register of a taken foreign ID: %v, want ErrAlreadyExists", err)
	}
	for _, leak := range []string{"other-org", "Secret Project"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("the error %q tells the other client's %q", err, leak)
		}
	}
	after, err := reg.Get(ctx, "taken")
	if err != nil || after.Owner != "other-org" || after.Version != theirs.Version {
		t.Fatalf("the foreign client changed: %+v, %v", after, err)
	}
	if _, err := view.Get(ctx, "taken"); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("the foreign client is visible to the view: %v", err)
	}
	c, _, err := view.Register(ctx, oauthreg.Client{})
	if err != nil || c.ID == "" || c.Owner != "my-org" {
		t.Fatalf("scoped Register with a generated ID: %+v, %v", c, err)
	}
}

// Replicas with one WithCursorKey continue each other's scoped listings;
// a Registry with another key refuses the cursor.
func TestWithCursorKey(t *testing.T) {
	st := memstore.New()
	key := make([]byte, 32)
	key[0] = 7
	newReg := func(opts ...oauthreg.Option) *oauthreg.Registry {
		r, err := oauthreg.New(st, append([]oauthreg.Option{oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team": "parent"})}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b, other := newReg(oauthreg.WithCursorKey(key)), newReg(oauthreg.WithCursorKey(key)), newReg()
	for i := range 3 {
		if _, _, err := a.Register(ctx, oauthreg.Client{ID: fmt.Sprint("c", i), Owner: "team"}); err != nil {
			t.Fatal(err)
		}
	}
	who := oauthreg.UserPrincipal("alice", "parent", oauthreg.RoleOrgOwner)
	page, err := a.As(who).List(ctx, oauthreg.ListQuery{Limit: 1})
	if err != nil || page.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, page.NextCursor)
	}
	next, err := b.As(who).List(ctx, oauthreg.ListQuery{Limit: 1, Cursor: page.NextCursor})
	if err != nil || len(next.Clients) != 1 || next.Clients[0].ID != "c1" {
		t.Fatalf("a replica with the same key: %v, %v", next.Clients, err)
	}
	if _, err := other.As(who).List(ctx, oauthreg.ListQuery{Cursor: page.NextCursor}); !errors.Is(err, oauthreg.ErrInvalidCursor) {
		t.Fatalf("a Registry with another key: %v, want ErrInvalidCursor", err)
	}
	if _, err := oauthreg.New(st, oauthreg.WithCursorKey([]byte("short"))); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("WithCursorKey of 5 bytes: %v, want ErrInvalidConfig", err)
	}
}
