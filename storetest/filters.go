package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// filterFixture returns clients that tell the list filters apart: tags that
// are substrings, prefixes or case variants of each other, the same string
// as a system tag on one client and a user tag on another, names with
// LIKE wildcards and non-ASCII letters, disabled and enabled clients, and
// every case of "not used since".
func filterFixture() []*oauthreg.Client {
	t0 := BaseTime()
	mk := func(id, name string, sys, usr []string, disabled bool, created, used time.Time) *oauthreg.Client {
		return &oauthreg.Client{ID: id, Owner: "org-" + id[:1], Name: name, SystemTags: sys, UserTags: usr,
			Disabled: disabled, CreatedAt: created, LastUsedAt: used}
	}
	old, recent := t0.Add(-48*time.Hour), t0.Add(-time.Hour)
	return []*oauthreg.Client{
		mk("a1", "Web app", []string{"zone=a", "tier:gold"}, []string{"env:prod"}, false, old, recent),
		mk("a2", "web app", []string{"zone=a"}, []string{"env:prod", "team x"}, true, old, time.Time{}),
		mk("a3", "Web", []string{"zone=ab"}, nil, false, recent, time.Time{}),
		mk("b1", "Webhook 100%", []string{"Zone=a"}, []string{"zone=a"}, true, old, old),
		mk("b2", "Webhook_1", nil, []string{"env:prod"}, false, old, old.Add(time.Millisecond)),
		mk("b3", "ä-client", []string{"ключ", "zone=a"}, []string{"ключ"}, false, time.Time{}, time.Time{}),
		mk("c1", "", []string{"zone=a"}, []string{"env:prod"}, false, recent, t0),
		mk("c2", "Webb", []string{"tier:gold", "zone=a"}, []string{"env:dev"}, true, old, recent),
		mk("c3", "W", nil, nil, false, old, time.Time{}),
	}
}

// filterQueries are the queries the filter tests check, alone and combined.
func filterQueries() []oauthreg.ListQuery {
	t0 := BaseTime()
	return []oauthreg.ListQuery{
		{SystemTag: "zone=a"}, {SystemTag: "Zone=a"}, {SystemTag: "zone"}, {SystemTag: "ключ"}, {SystemTag: "absent"},
		{UserTag: "env:prod"}, {UserTag: "zone=a"}, {UserTag: "team x"}, {UserTag: "env"},
		{NamePrefix: "Web"}, {NamePrefix: "web"}, {NamePrefix: "Web%"}, {NamePrefix: "Webhook_"}, {NamePrefix: "Webhook%"},
		{NamePrefix: "W"}, {NamePrefix: "ä"}, {NamePrefix: "Web app and more"}, {NamePrefix: "_"}, {NamePrefix: "%"},
		{Disabled: oauthreg.OnlyDisabled}, {Disabled: oauthreg.OnlyEnabled},
		{NotUsedSince: t0.Add(-24 * time.Hour)}, {NotUsedSince: t0}, {NotUsedSince: t0.Add(time.Millisecond)},
		{NotUsedSince: t0.Add(-48 * time.Hour)}, {NotUsedSince: t0.Add(-48*time.Hour + time.Millisecond)},
		{SystemTag: "zone=a", UserTag: "env:prod"},
		{SystemTag: "zone=a", Disabled: oauthreg.OnlyEnabled, NamePrefix: "Web"},
		{SystemTag: "zone=a", Owner: "org-c"},
		{UserTag: "env:prod", NotUsedSince: t0},
		{Owner: "org-b", Disabled: oauthreg.OnlyEnabled},
		{Owner: "org-a", NamePrefix: "Web", NotUsedSince: t0.Add(-24 * time.Hour)},
		{Disabled: oauthreg.OnlyDisabled, NotUsedSince: t0},
	}
}

// showQuery prints the filters of q for a failure message.
func showQuery(q oauthreg.ListQuery) string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf("%s: %q", name, v))
		}
	}
	add("Owner", q.Owner)
	add("SystemTag", q.SystemTag)
	add("UserTag", q.UserTag)
	add("NamePrefix", q.NamePrefix)
	if q.Disabled != nil {
		parts = append(parts, fmt.Sprintf("Disabled: %v", *q.Disabled))
	}
	if !q.NotUsedSince.IsZero() {
		parts = append(parts, "NotUsedSince: "+showTime(q.NotUsedSince))
	}
	if q.Limit != 0 {
		parts = append(parts, fmt.Sprintf("Limit: %d", q.Limit))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// expected returns the IDs of the clients q selects, in byte order.
func expected(q oauthreg.ListQuery, cs []*oauthreg.Client) []string {
	var ids []string
	for _, c := range cs {
		if q.Matches(c) {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s suite) testListFilters(t *testing.T) {
	s.run(t, "EachFilter", func(t *testing.T, st oauthreg.Store) {
		cs := filterFixture()
		for _, c := range cs {
			mustCreate(t, st, c.Clone())
		}
		for _, q := range filterQueries() {
			want := expected(q, cs)
			for _, limit := range []int{1, 2, 0} {
				q.Limit = limit
				got := clientIDs(listAll(t, st, q))
				if !slices.Equal(got, want) {
					t.Errorf("ListClients(%s) listed %q, want %q (ListQuery.Matches defines the filters)", showQuery(q), got, want)
				}
			}
		}
	})

	s.run(t, "FollowUpdates", func(t *testing.T, st oauthreg.Store) {
		// Indexes must follow every change: tags added and removed, a
		// client enabled, renamed, used, deleted.
		cs := filterFixture()
		for _, c := range cs {
			mustCreate(t, st, c.Clone())
		}
		byID := map[string]*oauthreg.Client{}
		for _, c := range cs {
			byID[c.ID] = c
		}
		change := func(id string, f func(c *oauthreg.Client)) {
			t.Helper()
			c := mustGet(t, st, id)
			f(c)
			mustUpdate(t, st, c)
			f(byID[id])
		}
		change("a1", func(c *oauthreg.Client) { c.SystemTags = []string{"tier:gold"}; c.UserTags = nil })
		change("a3", func(c *oauthreg.Client) { c.SystemTags = append(c.SystemTags, "zone=a"); c.Name = "Other" })
		change("b1", func(c *oauthreg.Client) { c.Disabled = false; c.UserTags = []string{"env:prod", "env:prod"} })
		change("c3", func(c *oauthreg.Client) { c.Disabled = true; c.SystemTags = []string{"zone=a"} })
		at := BaseTime().Add(time.Minute)
		if err := st.TouchClient(t.Context(), "c3", "none", at); err != nil {
			t.Fatalf("TouchClient: %v", err)
		}
		byID["c3"].LastUsedAt = at
		if err := st.DeleteClient(t.Context(), "c2"); err != nil {
			t.Fatalf("DeleteClient: %v", err)
		}
		delete(byID, "c2")
		var now []*oauthreg.Client
		for _, c := range byID {
			now = append(now, c)
		}
		for _, q := range append(filterQueries(), oauthreg.ListQuery{SystemTag: "tier:gold"}) {
			want := expected(q, now)
			got := clientIDs(listAll(t, st, q))
			if !slices.Equal(got, want) {
				t.Errorf("after updates, a touch and a delete, ListClients(%s) listed %q, want %q", showQuery(q), got, want)
			}
		}
	})

	s.run(t, "SparsePages", func(t *testing.T, st oauthreg.Store) {
		// 300 clients, every seventh tagged, disabled and named "x-":
		// pages of a sparse filter are full and complete.
		ids := seqIDs("p", 300)
		var cs []*oauthreg.Client
		for i, id := range ids {
			c := &oauthreg.Client{ID: id, Name: "y-" + id, CreatedAt: BaseTime()}
			if i%7 == 3 {
				c.Name, c.Disabled, c.UserTags = "x-"+id, true, []string{"rare"}
			}
			mustCreate(t, st, c.Clone())
			cs = append(cs, c)
		}
		for _, q := range []oauthreg.ListQuery{{UserTag: "rare"}, {Disabled: oauthreg.OnlyDisabled}, {NamePrefix: "x-"},
			{NamePrefix: "x-", Disabled: oauthreg.OnlyDisabled, UserTag: "rare"}} {
			want := expected(q, cs)
			for _, limit := range []int{1, 5, 42, 43, 44} {
				q.Limit = limit
				if got := clientIDs(listAll(t, st, q)); !slices.Equal(got, want) {
					t.Errorf("ListClients(%s) listed %q, want %q", showQuery(q), got, want)
				}
			}
		}
	})
}

func (s suite) testSecretLocator(t *testing.T) {
	if _, ok := s.store(t).(oauthreg.SecretLocator); !ok {
		t.Skip("the store does not implement oauthreg.SecretLocator (optional)")
	}
	s.run(t, "FindsHolders", func(t *testing.T, st oauthreg.Store) {
		loc := st.(oauthreg.SecretLocator)
		find := func(secretID string, want ...string) {
			t.Helper()
			got, err := loc.ClientsWithSecret(t.Context(), secretID)
			if err != nil {
				t.Fatalf("ClientsWithSecret(%q): %v", secretID, err)
			}
			if len(got) != len(want) || (len(want) > 0 && !slices.Equal(got, want)) {
				t.Errorf("ClientsWithSecret(%q) = %q, want %q", secretID, got, want)
			}
		}
		a, b := NewClient("loc-a"), NewClient("loc-b")
		b.Secrets = []oauthreg.Secret{NewSecret("shared-id", BaseTime()), NewSecret("only-b", BaseTime())}
		a.Secrets = append(a.Secrets, NewSecret("shared-id", BaseTime()))
		mustCreate(t, st, b)
		mustCreate(t, st, a)
		for _, sec := range a.Secrets[:len(a.Secrets)-1] {
			find(sec.ID, "loc-a")
		}
		find("shared-id", "loc-a", "loc-b")
		find("only-b", "loc-b")
		find("absent")
		find("")
		find("SHARED-ID")
		find("shared-id ")

		// A secret dropped by an update is no longer found; one added is.
		c := mustGet(t, st, "loc-b")
		c.Secrets = []oauthreg.Secret{NewSecret("new-b", BaseTime())}
		mustUpdate(t, st, c)
		find("only-b")
		find("shared-id", "loc-a")
		find("new-b", "loc-b")
		if err := st.DeleteClient(t.Context(), "loc-a"); err != nil {
			t.Fatalf("DeleteClient: %v", err)
		}
		find("shared-id")
		for _, sec := range a.Secrets {
			find(sec.ID)
		}

		_, err := loc.ClientsWithSecret(cancelled(t), "new-b")
		wantErr(t, err, context.Canceled, "ClientsWithSecret with a cancelled context")
	})
}
