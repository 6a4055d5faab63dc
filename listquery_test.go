package oauthreg_test

import (
	"slices"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestListQueryMatches(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &oauthreg.Client{ID: "c", Owner: "o", Name: "äbc", SystemTags: []string{"s"}, UserTags: []string{"u"},
		Disabled: true, CreatedAt: t0}
	for _, tc := range []struct {
		q    oauthreg.ListQuery
		want bool
	}{
		{oauthreg.ListQuery{}, true},
		{oauthreg.ListQuery{Owner: "o", SystemTag: "s", UserTag: "u", NamePrefix: "ä", Disabled: oauthreg.OnlyDisabled}, true},
		{oauthreg.ListQuery{SystemTag: "u"}, false},
		{oauthreg.ListQuery{UserTag: "s"}, false},
		{oauthreg.ListQuery{NamePrefix: "\xc3"}, false}, // half of "ä"
		{oauthreg.ListQuery{NamePrefix: "Ä"}, false},
		{oauthreg.ListQuery{Disabled: oauthreg.OnlyEnabled}, false},
		{oauthreg.ListQuery{NotUsedSince: t0}, false},                     // created at t0, never used: not stale at t0
		{oauthreg.ListQuery{NotUsedSince: t0.Add(time.Nanosecond)}, true}, // ... but just after
	} {
		if got := tc.q.Matches(c); got != tc.want {
			t.Errorf("%+v.Matches = %v, want %v", tc.q, got, tc.want)
		}
	}
	used := c.Clone()
	used.LastUsedAt = t0.Add(time.Hour)
	if (oauthreg.ListQuery{NotUsedSince: t0.Add(time.Hour)}).Matches(used) {
		t.Error("a client used at T is stale at T")
	}
	if !(oauthreg.ListQuery{NotUsedSince: t0.Add(time.Hour + 1)}).Matches(used) {
		t.Error("a client last used before T is not stale at T")
	}
}

// Scoped listings read every page with the caller's filters, also when
// they scan the store for a principal whose organization has children.
func TestScopedListFilters(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithOrgTree(oauthreg.MapOrgTree{"team": "corp"}))
	for i, owner := range []string{"corp", "team", "other", "team", "corp"} {
		_, _ = kit.ConfidentialClient(t, func(c *oauthreg.Client) {
			c.Owner = owner
			if i%2 == 0 {
				c.UserTags = []string{"keep"}
			}
		})
	}
	admin := kit.As(oauthreg.UserPrincipal("alice", "corp", oauthreg.RoleOrgAdmin))
	var owners []string
	q := oauthreg.ListQuery{UserTag: "keep", Limit: 1}
	for {
		page, err := admin.List(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Clients {
			if !slices.Contains(c.UserTags, "keep") {
				t.Errorf("scoped listing by tag returned %s without the tag", c.ID)
			}
			owners = append(owners, c.Owner)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	slices.Sort(owners)
	if !slices.Equal(owners, []string{"corp", "corp"}) {
		t.Errorf("scoped listing by tag found owners %q, want [corp corp] (clients 0 and 4; 2 is out of reach)", owners)
	}
}
