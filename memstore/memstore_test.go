package memstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) oauthreg.Store { return memstore.New() })
}

// The zero value of Store is documented as ready to use.
func TestZeroValue(t *testing.T) {
	storetest.Run(t, func(*testing.T) oauthreg.Store { return new(memstore.Store) })
}

func TestRejectsBadInput(t *testing.T) {
	s := memstore.New()
	ctx := t.Context()
	if err := s.CreateClient(ctx, nil); err == nil {
		t.Error("CreateClient(nil) succeeded")
	}
	if err := s.UpdateClient(ctx, nil); err == nil {
		t.Error("UpdateClient(nil) succeeded")
	}
	c := &oauthreg.Client{}
	if err := s.CreateClient(ctx, c); err == nil {
		t.Error("CreateClient of a client without ID succeeded")
	}
	if c.Version != 0 {
		t.Errorf("a failed CreateClient set Version to %d", c.Version)
	}
}

// GetClient's not-found error is the bare sentinel (documented), the others
// name the client.
func TestErrorMessages(t *testing.T) {
	s := memstore.New()
	ctx := t.Context()
	if _, err := s.GetClient(ctx, "x"); err != oauthreg.ErrNotFound {
		t.Errorf("GetClient of an unknown ID returned %v, want the bare ErrNotFound", err)
	}
	c := &oauthreg.Client{ID: "x"}
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{s.DeleteClient(ctx, "y"), `oauthreg: client not found: "y"`},
		{s.CreateClient(ctx, &oauthreg.Client{ID: "x"}), `oauthreg: client already exists: "x"`},
		{s.UpdateClient(ctx, &oauthreg.Client{ID: "x", Version: 7}),
			`oauthreg: client was changed concurrently (version conflict): client "x" is at version 1, the update was made to version 7`},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("got error %v, want %q", tc.err, tc.want)
		}
	}
	_, err := s.ListClients(ctx, oauthreg.ListQuery{Cursor: "!"})
	if !errors.Is(err, oauthreg.ErrInvalidCursor) {
		t.Errorf("ListClients with a bad cursor: %v", err)
	}
}

func TestGetClientNotFoundDoesNotAllocate(t *testing.T) {
	s := memstore.New()
	ctx := t.Context()
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := s.GetClient(ctx, "missing"); err == nil {
			t.Fatal("found")
		}
	})
	if allocs != 0 {
		t.Errorf("GetClient of an unknown ID allocates %v times, want 0", allocs)
	}
}

// newBenchStore returns a store with n fully populated clients, each with two
// secrets, all of one owner, with IDs client-0000000, client-0000001, ...
func newBenchStore(b *testing.B, n int) *memstore.Store {
	b.Helper()
	s := memstore.New()
	for i := range n {
		c := storetest.NewClient(fmt.Sprintf("client-%07d", i))
		c.Secrets = c.Secrets[:2]
		if err := s.CreateClient(b.Context(), c); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkGetClient(b *testing.B) {
	const n = 100_000
	s := newBenchStore(b, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("client-%07d", (i*7919)%n) // spread over the map
	}
	ctx := b.Context()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := s.GetClient(ctx, ids[i%n]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetClientParallel(b *testing.B) {
	s := newBenchStore(b, 100_000)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetClient(ctx, "client-0042424"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkGetClientNotFound(b *testing.B) {
	s := newBenchStore(b, 1000)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.GetClient(ctx, "client-missing"); err == nil {
			b.Fatal("found")
		}
	}
}

// BenchmarkListClients compares the first page with a page 1,000 pages deep
// (default page size, 100,000 clients): keyset pagination makes them cost the
// same.
func BenchmarkListClients(b *testing.B) {
	s := newBenchStore(b, 100_000)
	ctx := b.Context()
	q := oauthreg.ListQuery{}
	for range 1000 {
		p, err := s.ListClients(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		q.Cursor = p.NextCursor
	}
	deep := q.Cursor
	for _, bc := range []struct {
		name string
		q    oauthreg.ListQuery
	}{
		{"FirstPage", oauthreg.ListQuery{}},
		{"Page1000", oauthreg.ListQuery{Cursor: deep}},
		{"Owner/FirstPage", oauthreg.ListQuery{Owner: storetest.NewClient("").Owner}},
		{"Owner/Page1000", oauthreg.ListQuery{Owner: storetest.NewClient("").Owner, Cursor: deep}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.ListClients(ctx, bc.q)
				if err != nil || len(p.Clients) != oauthreg.DefaultPageSize {
					b.Fatalf("%d clients, %v", len(p.Clients), err)
				}
			}
		})
	}
}

// BenchmarkListClientsFiltered: each filter's first page and its
// 1,000th (default page size) over 200,000 clients, half of which pass
// each filter: the tag and disabled indexes, and the name prefix and "not
// used since" filters checked on the scan, keep the deep page at the cost of
// the first.
func BenchmarkListClientsFiltered(b *testing.B) {
	s := memstore.New()
	t0 := storetest.BaseTime()
	for i := range 200_000 {
		c := storetest.NewClient(fmt.Sprintf("client-%07d", (i*7919)%200_000)) // created in scattered order
		c.Secrets = c.Secrets[:1]
		c.UserTags, c.Name, c.Disabled, c.LastUsedAt = nil, "app", false, t0.Add(time.Hour)
		if i%2 == 0 {
			c.UserTags, c.Name, c.Disabled, c.LastUsedAt = []string{"half"}, "svc", true, time.Time{}
		}
		if err := s.CreateClient(b.Context(), c); err != nil {
			b.Fatal(err)
		}
	}
	ctx := b.Context()
	for _, f := range []struct {
		name string
		q    oauthreg.ListQuery
	}{
		{"UserTag", oauthreg.ListQuery{UserTag: "half"}},
		{"Disabled", oauthreg.ListQuery{Disabled: oauthreg.OnlyDisabled}},
		{"NamePrefix", oauthreg.ListQuery{NamePrefix: "sv"}},
		{"NotUsedSince", oauthreg.ListQuery{NotUsedSince: t0.Add(time.Minute)}},
	} {
		deep := f.q
		for range 999 {
			p, err := s.ListClients(ctx, deep)
			if err != nil {
				b.Fatal(err)
			}
			deep.Cursor = p.NextCursor
		}
		for _, page := range []struct {
			name string
			q    oauthreg.ListQuery
		}{{"FirstPage", f.q}, {"Page1000", deep}} {
			b.Run(f.name+"/"+page.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					p, err := s.ListClients(ctx, page.q)
					if err != nil || len(p.Clients) != oauthreg.DefaultPageSize {
						b.Fatalf("%d clients, %v", len(p.Clients), err)
					}
				}
			})
		}
	}
}
