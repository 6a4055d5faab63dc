package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

// testPartialUpdates holds a store that writes only what an update changed
// (sqlstore compares the stored rows with the new client) to the same
// result as one that replaces everything: every field changed alone, each
// secret field alone, secrets reordered, prepended, dropped and added over
// many rotations, tags added and removed (as ListClients' tag filters see
// them), and updates that change nothing but the version.
func (s suite) testPartialUpdates(t *testing.T) {
	s.run(t, "EachFieldAlone", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("one-at-a-time")
		mustCreate(t, st, c)
		t1 := BaseTime().Add(72 * time.Hour)
		changes := []struct {
			name   string
			change func(c *oauthreg.Client)
		}{
			{"nothing", func(*oauthreg.Client) {}},
			{"Owner", func(c *oauthreg.Client) { c.Owner = "org-other" }},
			{"Name", func(c *oauthreg.Client) { c.Name = "renamed" }},
			{"Description emptied", func(c *oauthreg.Client) { c.Description = "" }},
			{"GrantTypes empty", func(c *oauthreg.Client) { c.GrantTypes = []oauthreg.GrantType{} }},
			{"GrantTypes nil", func(c *oauthreg.Client) { c.GrantTypes = nil }},
			{"GrantTypes set", func(c *oauthreg.Client) { c.GrantTypes = []oauthreg.GrantType{oauthreg.GrantClientCredentials} }},
			{"ResponseTypes", func(c *oauthreg.Client) { c.ResponseTypes = []oauthreg.ResponseType{oauthreg.ResponseCode} }},
			{"Scopes reordered", func(c *oauthreg.Client) { slices.Reverse(c.Scopes) }},
			{"RedirectURIs", func(c *oauthreg.Client) { c.RedirectURIs = c.RedirectURIs[1:] }},
			{"TokenEndpointAuthMethod", func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretBasic }},
			{"Public", func(c *oauthreg.Client) { c.Public = true }},
			{"Public back", func(c *oauthreg.Client) { c.Public = false }},
			{"AccessTokenTTL", func(c *oauthreg.Client) { c.AccessTokenTTL += time.Nanosecond }},
			{"RefreshTokenTTL zero", func(c *oauthreg.Client) { c.RefreshTokenTTL = 0 }},
			{"Disabled", func(c *oauthreg.Client) { c.Disabled = true }},
			{"SystemTags one dropped, one added", func(c *oauthreg.Client) { c.SystemTags = append(c.SystemTags[1:], "zone=c") }},
			{"UserTags nil", func(c *oauthreg.Client) { c.UserTags = nil }},
			{"UserTags sharing a system tag", func(c *oauthreg.Client) { c.UserTags = []string{"zone=c"} }},
			{"Metadata value", func(c *oauthreg.Client) { c.Metadata = map[string]string{"tenant": "other"} }},
			{"Metadata nil", func(c *oauthreg.Client) { c.Metadata = nil }},
			{"RotationPolicy zero", func(c *oauthreg.Client) { c.RotationPolicy = &oauthreg.RotationPolicy{} }},
			{"RotationPolicy nil", func(c *oauthreg.Client) { c.RotationPolicy = nil }},
			{"a registration field", func(c *oauthreg.Client) { c.ClientURI = "https://client.example.com/other" }},
			{"CreatedAt", func(c *oauthreg.Client) { c.CreatedAt = c.CreatedAt.Add(time.Microsecond) }},
			{"UpdatedAt", func(c *oauthreg.Client) { c.UpdatedAt = t1 }},
			{"secret Kind", func(c *oauthreg.Client) { c.Secrets[0].Kind = oauthreg.SecretImported }},
			{"secret Hash", func(c *oauthreg.Client) { c.Secrets[1].Hash = oauthreg.Conceal("$sha256$" + c.Secrets[1].ID + "-new") }},
			{"secret Sealed emptied", func(c *oauthreg.Client) { c.Secrets[0].Sealed = oauthreg.Conceal("") }},
			{"secret Hint", func(c *oauthreg.Client) { c.Secrets[2].Hint = "zzzz" }},
			{"secret Description", func(c *oauthreg.Client) { c.Secrets[2].Description = "" }},
			{"secret CreatedAt", func(c *oauthreg.Client) { c.Secrets[1].CreatedAt = t1 }},
			{"secret ExpiresAt set", func(c *oauthreg.Client) { c.Secrets[2].ExpiresAt = t1 }},
			{"secret ExpiresAt cleared", func(c *oauthreg.Client) { c.Secrets[0].ExpiresAt = time.Time{} }},
			{"secret RevokedAt set", func(c *oauthreg.Client) { c.Secrets[0].RevokedAt = t1 }},
			{"secret RevokedAt cleared", func(c *oauthreg.Client) { c.Secrets[1].RevokedAt = time.Time{} }},
			{"secrets reversed", func(c *oauthreg.Client) { slices.Reverse(c.Secrets) }},
			{"secret prepended", func(c *oauthreg.Client) { c.Secrets = append([]oauthreg.Secret{NewSecret("first", t1)}, c.Secrets...) }},
			{"first secret moved last", func(c *oauthreg.Client) { c.Secrets = append(c.Secrets[1:], c.Secrets[0]) }},
			{"middle secret dropped", func(c *oauthreg.Client) { c.Secrets = slices.Delete(c.Secrets, 1, 2) }},
			{"two secrets swap their contents", func(c *oauthreg.Client) {
				c.Secrets[0].ID, c.Secrets[1].ID = c.Secrets[1].ID, c.Secrets[0].ID
			}},
			{"nothing again", func(*oauthreg.Client) {}},
		}
		for _, ch := range changes {
			before := mustGet(t, st, c.ID)
			next := before.Clone()
			ch.change(next)
			want := storedLastUsed(next.Clone(), before)
			for i := range want.Secrets {
				if _, ok := before.Secret(want.Secrets[i].ID); !ok {
					want.Secrets[i].LastUsedAt = time.Time{}
				}
			}
			mustUpdate(t, st, next)
			checkStored(t, st, withVersion(want, before.Version+1), "after an UpdateClient that changed "+ch.name)
		}
		checkTags(t, st, c.ID)
	})

	s.run(t, "ManyRotations", func(t *testing.T, st oauthreg.Store) {
		// A rotation appends, the purge drops the oldest: the order must
		// hold however often the rows at the front go away.
		t0 := BaseTime()
		c := &oauthreg.Client{ID: "rotated-often", Secrets: []oauthreg.Secret{NewSecret("r0", t0), NewSecret("r1", t0)}}
		mustCreate(t, st, c)
		for i := 2; i < 60; i++ {
			now := t0.Add(time.Duration(i) * time.Minute)
			c.Secrets[len(c.Secrets)-1].ExpiresAt = now.Add(time.Hour)
			c.Secrets = append(c.Secrets, NewSecret(fmt.Sprintf("r%d", i), now))
			if i%3 == 0 {
				c.Secrets = c.Secrets[1:]
			}
			if i%7 == 0 {
				// Now and then an update that changes nothing.
				mustUpdate(t, st, c)
			}
			c.UpdatedAt = now
			mustUpdate(t, st, c)
			checkStored(t, st, c, fmt.Sprintf("after rotation %d", i))
		}
	})
}

// checkTags fails t unless ListClients finds client id by each of its
// tags and by no other.
func checkTags(t *testing.T, st oauthreg.Store, id string) {
	t.Helper()
	c := mustGet(t, st, id)
	for _, tag := range []string{"zone=a", "zone=b", "zone=c", "with space", "env:prod", "ключ"} {
		for _, kind := range []string{"system", "user"} {
			q := oauthreg.ListQuery{SystemTag: tag}
			has := slices.Contains(c.SystemTags, tag)
			if kind == "user" {
				q = oauthreg.ListQuery{UserTag: tag}
				has = slices.Contains(c.UserTags, tag)
			}
			page, err := st.ListClients(t.Context(), q)
			if err != nil {
				t.Fatalf("ListClients(%s tag %q): %v", kind, tag, err)
			}
			if listed := len(page.Clients) == 1 && page.Clients[0].ID == id; listed != has {
				t.Errorf("after the updates, ListClients by %s tag %q listed %q: %v, want %v (its tags: system %q, user %q)",
					kind, tag, id, listed, has, c.SystemTags, c.UserTags)
			}
		}
	}
}
