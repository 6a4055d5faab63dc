package storetest

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/oauthreg/oauthreg"
)

// orderIDs are 25 client IDs whose byte order differs from every
// case-insensitive, accent-aware or "natural" order, in the (unsorted) order
// the tests create them.
var orderIDs = []string{
	"B", "a", "A1", "b", "A", "a0", "_x", "0", "9z", "Z", "z", "ä", "-",
	"~", "aa", "aA", "Aa", "AA", "a-b", "a_b", "a.b", "1", "10", "2", "zz",
}

func (s suite) testListClients(t *testing.T) {
	s.run(t, "EmptyStore", func(t *testing.T, st oauthreg.Store) {
		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{})
		if err != nil {
			t.Fatalf("ListClients on an empty store: %v", err)
		}
		if len(page.Clients) != 0 || page.NextCursor != "" {
			t.Errorf("ListClients on an empty store returned %d clients and NextCursor %q, want none and \"\"",
				len(page.Clients), page.NextCursor)
		}
	})

	s.run(t, "ByteOrder", func(t *testing.T, st oauthreg.Store) {
		createIDs(t, st, orderIDs, nil)
		want := sorted(orderIDs)
		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{Limit: oauthreg.MaxPageSize})
		if err != nil {
			t.Fatalf("ListClients: %v", err)
		}
		if got := clientIDs(page.Clients); !slices.Equal(got, want) {
			t.Errorf("ListClients listed\n\t%q\nwant byte order (as Go compares strings; PostgreSQL needs COLLATE \"C\", MySQL a binary collation)\n\t%q", got, want)
		}
		if page.NextCursor != "" {
			t.Errorf("ListClients returned all %d clients but NextCursor %q, want \"\" on the last page", len(want), page.NextCursor)
		}
	})

	s.run(t, "Pages", func(t *testing.T, st oauthreg.Store) {
		createIDs(t, st, orderIDs, nil)
		want := sorted(orderIDs)
		for _, limit := range []int{1, 2, 3, 7, 24, 25, 26, 0, oauthreg.MaxPageSize} {
			t.Run(fmt.Sprintf("Limit=%d", limit), func(t *testing.T) {
				got := clientIDs(listAll(t, st, oauthreg.ListQuery{Limit: limit}))
				if !slices.Equal(got, want) {
					t.Errorf("paging with limit %d listed\n\t%q\nwant each client once, in byte order\n\t%q", limit, got, want)
				}
			})
		}
	})

	s.run(t, "ClientsAreComplete", func(t *testing.T, st oauthreg.Store) {
		var want []*oauthreg.Client
		for _, id := range []string{"c3", "c1", "c2", "c5", "c4"} {
			c := NewClient(id)
			c.Owner = "org-complete"
			c.Secrets = c.Secrets[:len(id)%3+1]
			mustCreate(t, st, c)
			want = append(want, c)
		}
		slices.SortFunc(want, func(a, b *oauthreg.Client) int { return strings.Compare(a.ID, b.ID) })
		for _, q := range []oauthreg.ListQuery{{Limit: 2}, {Limit: 2, Owner: "org-complete"}} {
			got := listAll(t, st, q)
			if len(got) != len(want) {
				t.Fatalf("ListClients(%+v) listed %q, want %q", q, clientIDs(got), clientIDs(want))
			}
			for i := range want {
				checkClient(t, want[i], got[i], fmt.Sprintf("ListClients(%+v) (listed clients must be complete, secrets included)", q))
			}
		}
	})

	s.run(t, "ReturnsCopies", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("listed")
		mustCreate(t, st, c)
		for _, c := range listAll(t, st, oauthreg.ListQuery{}) {
			mutate(c)
		}
		checkStored(t, st, c, "after the caller changed a client ListClients had returned (the store must return copies)")
	})

	s.run(t, "DefaultLimit", func(t *testing.T, st oauthreg.Store) {
		ids := seqIDs("c", oauthreg.DefaultPageSize+1)
		createIDs(t, st, ids, nil)
		for _, limit := range []int{0, -1} {
			page, err := st.ListClients(t.Context(), oauthreg.ListQuery{Limit: limit})
			if err != nil {
				t.Fatalf("ListClients(Limit: %d): %v", limit, err)
			}
			if len(page.Clients) != oauthreg.DefaultPageSize || page.NextCursor == "" {
				t.Fatalf("ListClients(Limit: %d) over %d clients returned %d clients and NextCursor %q, want DefaultPageSize (%d) and a cursor",
					limit, len(ids), len(page.Clients), page.NextCursor, oauthreg.DefaultPageSize)
			}
			next, err := st.ListClients(t.Context(), oauthreg.ListQuery{Limit: limit, Cursor: page.NextCursor})
			if err != nil {
				t.Fatalf("ListClients(Limit: %d), second page: %v", limit, err)
			}
			if got := clientIDs(next.Clients); !slices.Equal(got, ids[oauthreg.DefaultPageSize:]) || next.NextCursor != "" {
				t.Errorf("ListClients(Limit: %d), second page: got %q and NextCursor %q, want %q and \"\"",
					limit, got, next.NextCursor, ids[oauthreg.DefaultPageSize:])
			}
		}
	})

	s.run(t, "MaxPageSize", func(t *testing.T, st oauthreg.Store) {
		ids := seqIDs("c", oauthreg.MaxPageSize+1)
		createIDs(t, st, ids, nil)
		for _, limit := range []int{oauthreg.MaxPageSize + 1, math.MaxInt32, math.MaxInt} {
			page, err := st.ListClients(t.Context(), oauthreg.ListQuery{Limit: limit})
			if err != nil {
				t.Fatalf("ListClients(Limit: %d): %v", limit, err)
			}
			if len(page.Clients) != oauthreg.MaxPageSize || page.NextCursor == "" {
				t.Fatalf("ListClients(Limit: %d) over %d clients returned %d clients and NextCursor %q, want MaxPageSize (%d) and a cursor",
					limit, len(ids), len(page.Clients), page.NextCursor, oauthreg.MaxPageSize)
			}
			if got := clientIDs(page.Clients); !slices.Equal(got, ids[:oauthreg.MaxPageSize]) {
				t.Fatalf("ListClients(Limit: %d) did not list the first %d clients in order", limit, oauthreg.MaxPageSize)
			}
			next, err := st.ListClients(t.Context(), oauthreg.ListQuery{Limit: limit, Cursor: page.NextCursor})
			if err != nil {
				t.Fatalf("ListClients(Limit: %d), second page: %v", limit, err)
			}
			if got := clientIDs(next.Clients); !slices.Equal(got, ids[oauthreg.MaxPageSize:]) || next.NextCursor != "" {
				t.Errorf("ListClients(Limit: %d), second page: got %q and NextCursor %q, want %q and \"\"",
					limit, got, next.NextCursor, ids[oauthreg.MaxPageSize:])
			}
		}
	})

	s.run(t, "Owner", func(t *testing.T, st oauthreg.Store) {
		owners := []string{"org-a", "org-b", "", "org-A"}
		owner := func(i int) string { return owners[i%len(owners)] }
		createIDs(t, st, orderIDs, owner)
		byOwner := map[string][]string{}
		for i, id := range orderIDs {
			byOwner[owner(i)] = append(byOwner[owner(i)], id)
		}
		for _, o := range owners[:2] {
			want := sorted(byOwner[o])
			for _, limit := range []int{1, 2, 3, len(want), len(want) + 1} {
				got := clientIDs(listAll(t, st, oauthreg.ListQuery{Owner: o, Limit: limit}))
				if !slices.Equal(got, want) {
					t.Errorf("ListClients(Owner: %q, Limit: %d) listed\n\t%q\nwant exactly that owner's clients, in byte order\n\t%q", o, limit, got, want)
				}
			}
		}
		if got := clientIDs(listAll(t, st, oauthreg.ListQuery{Owner: "org-A", Limit: 2})); !slices.Equal(got, sorted(byOwner["org-A"])) {
			t.Errorf("ListClients(Owner: %q) listed %q, want %q (owners are compared byte for byte)", "org-A", got, sorted(byOwner["org-A"]))
		}
		if got := clientIDs(listAll(t, st, oauthreg.ListQuery{Limit: 4})); !slices.Equal(got, sorted(orderIDs)) {
			t.Errorf("ListClients with no owner listed %q, want every client %q", got, sorted(orderIDs))
		}
		for _, o := range []string{"org-none", "ORG-B", "org-b ", "org"} {
			page, err := st.ListClients(t.Context(), oauthreg.ListQuery{Owner: o, Limit: 2})
			if err != nil {
				t.Fatalf("ListClients(Owner: %q): %v", o, err)
			}
			if len(page.Clients) != 0 || page.NextCursor != "" {
				t.Errorf("ListClients(Owner: %q), an owner without clients, returned %q and NextCursor %q, want nothing and \"\"",
					o, clientIDs(page.Clients), page.NextCursor)
			}
		}
	})

	s.run(t, "OwnerChangedByUpdate", func(t *testing.T, st oauthreg.Store) {
		x := &oauthreg.Client{ID: "x", Owner: "org-a"}
		y := &oauthreg.Client{ID: "y", Owner: "org-a"}
		mustCreate(t, st, x)
		mustCreate(t, st, y)
		x.Owner = "org-b"
		mustUpdate(t, st, x)
		checkOwner(t, st, "org-a", "y")
		checkOwner(t, st, "org-b", "x")
		x.Owner = ""
		mustUpdate(t, st, x)
		checkOwner(t, st, "org-a", "y")
		checkOwner(t, st, "org-b")
		checkOwner(t, st, "", "x", "y")
		if err := st.DeleteClient(t.Context(), "y"); err != nil {
			t.Fatalf("DeleteClient: %v", err)
		}
		checkOwner(t, st, "org-a")
	})

	s.run(t, "ChangesWhilePaging", func(t *testing.T, st oauthreg.Store) {
		// Clients m00, m02, ..., m38. Between pages, clients are created
		// behind and ahead of the cursor and deleted ahead of and behind it.
		var initial []string
		for i := 0; i < 40; i += 2 {
			initial = append(initial, fmt.Sprintf("m%02d", i))
		}
		createIDs(t, st, initial, nil)
		deleted := map[string]bool{}
		var listed []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatalf("still paging after 100 pages of 3 over about 40 clients; listed so far %q", listed)
			}
			page, err := st.ListClients(t.Context(), oauthreg.ListQuery{Cursor: cursor, Limit: 3})
			if err != nil {
				t.Fatalf("ListClients, page %d: %v", pages+1, err)
			}
			listed = append(listed, clientIDs(page.Clients)...)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
			last := listed[len(listed)-1]
			var n int
			fmt.Sscanf(last, "m%d", &n)
			// Behind the cursor: before everything, and just before last.
			createIfAbsent(t, st, fmt.Sprintf("a%02d", pages))
			createIfAbsent(t, st, fmt.Sprintf("m%02d", n-1))
			// Ahead: just after last, and after everything.
			createIfAbsent(t, st, fmt.Sprintf("m%02d", n+1))
			createIfAbsent(t, st, fmt.Sprintf("z%02d", pages))
			// Delete one behind (already listed) and one ahead (not yet).
			for _, id := range []string{fmt.Sprintf("m%02d", n-2), fmt.Sprintf("m%02d", n+4)} {
				if !deleted[id] && slices.Contains(initial, id) {
					if err := st.DeleteClient(t.Context(), id); err != nil {
						t.Fatalf("DeleteClient(%q): %v", id, err)
					}
					deleted[id] = true
				}
			}
		}
		for i := 1; i < len(listed); i++ {
			if listed[i-1] >= listed[i] {
				t.Fatalf("with clients created and deleted between pages, the listing went %q then %q (a client listed twice, "+
					"or out of order); whole listing %q", listed[i-1], listed[i], listed)
			}
		}
		for _, id := range initial {
			if !deleted[id] && !slices.Contains(listed, id) {
				t.Errorf("client %q existed throughout the listing but was skipped (listing %q)", id, listed)
			}
		}
		for i := range 200 {
			if id := fmt.Sprintf("a%02d", i); slices.Contains(listed, id) {
				t.Errorf("client %q, created behind the cursor, was listed", id)
			}
		}
	})

	s.run(t, "InvalidCursor", func(t *testing.T, st oauthreg.Store) {
		createIDs(t, st, []string{"a", "b", "c"}, nil)
		for _, cursor := range []string{"!!!", "not a cursor", "%%%%", "\x00\xff", "a b", "{\"id\": 1}", string(make([]byte, 300))} {
			_, err := st.ListClients(t.Context(), oauthreg.ListQuery{Cursor: cursor, Limit: 1})
			wantErr(t, err, oauthreg.ErrInvalidCursor, fmt.Sprintf("ListClients(Cursor: %q)", showString(cursor)))
		}
	})
}

// listAll pages through a listing with q and returns the clients, failing t
// if a page breaks the listing rules.
func listAll(t *testing.T, st oauthreg.Store, q oauthreg.ListQuery) []*oauthreg.Client {
	t.Helper()
	limit := q.EffectiveLimit()
	var all []*oauthreg.Client
	for pages := 1; ; pages++ {
		if pages > 10_000 {
			t.Fatalf("ListClients(%+v): still paging after 10,000 pages; the cursor does not advance", q)
		}
		page, err := st.ListClients(t.Context(), q)
		if err != nil {
			t.Fatalf("ListClients(%+v), page %d: %v", q, pages, err)
		}
		ids := clientIDs(page.Clients)
		for i, c := range page.Clients {
			if c == nil {
				t.Fatalf("ListClients(%+v), page %d, returned a nil client at index %d", q, pages, i)
			}
		}
		if len(page.Clients) > limit {
			t.Fatalf("ListClients(%+v), page %d, returned %d clients, more than the limit %d", q, pages, len(page.Clients), limit)
		}
		if page.NextCursor != "" && len(page.Clients) != limit {
			t.Fatalf("ListClients(%+v), page %d, returned %d clients and a NextCursor: every page but the last must hold exactly the limit, %d",
				q, pages, len(page.Clients), limit)
		}
		if pages > 1 && len(page.Clients) == 0 {
			t.Fatalf("ListClients(%+v): page %d is empty, so the page before it was the last and should have had an empty NextCursor "+
				"(fetch Limit+1 rows to know whether there is more)", q, pages)
		}
		if len(all) > 0 && len(ids) > 0 && ids[0] <= all[len(all)-1].ID {
			t.Fatalf("ListClients(%+v): page %d starts with %q after a page that ended with %q (listed twice or out of order)",
				q, pages, ids[0], all[len(all)-1].ID)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i-1] >= ids[i] {
				t.Fatalf("ListClients(%+v), page %d: %q before %q, not in byte order: %q", q, pages, ids[i-1], ids[i], ids)
			}
		}
		all = append(all, page.Clients...)
		if page.NextCursor == "" {
			return all
		}
		q.Cursor = page.NextCursor
	}
}

// createIDs creates a client for each ID, in the given order, with the owner
// owner(i) if owner is not nil. Large sets are created by a few goroutines.
func createIDs(t *testing.T, st oauthreg.Store, ids []string, owner func(i int) string) {
	t.Helper()
	const workers = 4
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	work := make(chan int)
	n := workers
	if len(ids) < 100 {
		n = 1 // small sets in order, so stores see IDs arrive unsorted
	}
	for range n {
		wg.Go(func() {
			for i := range work {
				c := &oauthreg.Client{ID: ids[i], Name: "client " + ids[i], CreatedAt: BaseTime()}
				if owner != nil {
					c.Owner = owner(i)
				}
				if err := st.CreateClient(t.Context(), c); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("CreateClient(%q): %w", ids[i], err))
					mu.Unlock()
				}
			}
		})
	}
	for i := range ids {
		work <- i
	}
	close(work)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("creating %d clients: %d failed, first: %v", len(ids), len(errs), errs[0])
	}
}

func createIfAbsent(t *testing.T, st oauthreg.Store, id string) {
	t.Helper()
	if _, err := st.GetClient(t.Context(), id); err == nil {
		return
	}
	mustCreate(t, st, &oauthreg.Client{ID: id})
}

// checkOwner fails t unless the listing of owner is exactly ids.
func checkOwner(t *testing.T, st oauthreg.Store, owner string, ids ...string) {
	t.Helper()
	got := clientIDs(listAll(t, st, oauthreg.ListQuery{Owner: owner}))
	if !slices.Equal(got, ids) {
		t.Errorf("ListClients(Owner: %q) listed %q, want %q", owner, got, ids)
	}
}

// seqIDs returns n IDs prefix0000, prefix0001, ... in byte order.
func seqIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%04d", prefix, i)
	}
	return ids
}

func sorted(ids []string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}
