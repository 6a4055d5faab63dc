package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

func (s suite) testCreateGet(t *testing.T) {
	s.run(t, "RoundTripEveryField", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("every-field")
		c.Disabled = true
		want := c.Clone()
		mustCreate(t, st, c)
		if d := Diff(withVersion(want, 1), c); len(d) > 0 {
			t.Errorf("CreateClient changed the client it was given beyond setting Version:\n\t%s", joinLines(d))
		}
		checkStored(t, st, withVersion(want, 1), "GetClient after CreateClient")
	})

	s.run(t, "PublicClient", func(t *testing.T, st oauthreg.Store) {
		c := &oauthreg.Client{
			ID:                      "public-spa",
			Owner:                   "org-2",
			Name:                    "SPA",
			GrantTypes:              []oauthreg.GrantType{oauthreg.GrantAuthorizationCode},
			ResponseTypes:           []oauthreg.ResponseType{oauthreg.ResponseCode},
			RedirectURIs:            []string{"https://spa.example.com/cb"},
			TokenEndpointAuthMethod: oauthreg.AuthNone,
			Public:                  true,
			AccessTokenTTL:          time.Hour,
			CreatedAt:               BaseTime(),
			UpdatedAt:               BaseTime(),
		}
		want := c.Clone()
		mustCreate(t, st, c)
		checkStored(t, st, withVersion(want, 1), "a public client without secrets")
	})

	s.run(t, "MinimalClient", func(t *testing.T, st oauthreg.Store) {
		// Only the ID is set: everything must come back zero (nil/empty),
		// and in particular RotationPolicy nil and times zero.
		c := &oauthreg.Client{ID: "minimal"}
		mustCreate(t, st, c)
		checkStored(t, st, &oauthreg.Client{ID: "minimal", Version: 1},
			"a client with only an ID (the store must not invent values: zero times stay zero, a nil RotationPolicy stays nil)")
	})

	s.run(t, "ZeroRotationPolicyIsNotNil", func(t *testing.T, st oauthreg.Store) {
		c := &oauthreg.Client{ID: "zero-policy", RotationPolicy: &oauthreg.RotationPolicy{}}
		mustCreate(t, st, c)
		got := mustGet(t, st, "zero-policy")
		if got.RotationPolicy == nil {
			t.Fatal("a client with a non-nil, all-zero RotationPolicy came back with a nil one: " +
				"the client overrides the Registry's policy with zero values, and the store lost that")
		}
		checkClient(t, &oauthreg.Client{ID: "zero-policy", RotationPolicy: &oauthreg.RotationPolicy{}, Version: 1}, got,
			"a client with an all-zero RotationPolicy")
	})

	s.run(t, "EmptySlicesAndMaps", func(t *testing.T, st oauthreg.Store) {
		c := &oauthreg.Client{
			ID:            "empty",
			GrantTypes:    []oauthreg.GrantType{},
			ResponseTypes: []oauthreg.ResponseType{},
			Scopes:        []string{},
			RedirectURIs:  []string{},
			SystemTags:    []string{},
			UserTags:      []string{},
			Metadata:      map[string]string{},
			Secrets:       []oauthreg.Secret{},
		}
		mustCreate(t, st, c)
		// Diff treats nil and empty alike; what must not happen is an empty
		// list coming back with one empty element (a naive join and split).
		checkStored(t, st, &oauthreg.Client{ID: "empty", Version: 1}, "a client with empty, non-nil slices and maps")
	})

	s.run(t, "TimePrecision", func(t *testing.T, st oauthreg.Store) {
		// The Registry truncates its clock to microseconds (registry.go) and
		// expects its times back unchanged.
		us := BaseTime().Add(123_456 * time.Microsecond)
		c := &oauthreg.Client{
			ID:         "microseconds",
			CreatedAt:  us,
			UpdatedAt:  us.Add(time.Microsecond),
			LastUsedAt: us.Add(999_999 * time.Microsecond),
			Secrets: []oauthreg.Secret{{
				ID:         "s1",
				CreatedAt:  us.Add(-time.Microsecond),
				ExpiresAt:  us.Add(24*time.Hour + 7*time.Microsecond),
				RevokedAt:  us.Add(11 * time.Microsecond),
				LastUsedAt: us.Add(13 * time.Microsecond),
			}},
		}
		want := c.Clone()
		mustCreate(t, st, c)
		checkStored(t, st, withVersion(want, 1), "times with microseconds (a store must keep at least microsecond precision)")
	})

	s.run(t, "TimeZonesAndRange", func(t *testing.T, st oauthreg.Store) {
		// Times given in other zones must come back as the same instant; the
		// suite's range runs from 1970 to the end of 2099 (past MySQL
		// TIMESTAMP's 2038).
		india := time.FixedZone("IST", 5*3600+1800)
		pacific := time.FixedZone("PDT", -7*3600)
		c := &oauthreg.Client{
			ID:         "zones",
			CreatedAt:  BaseTime().In(india),
			UpdatedAt:  BaseTime().Add(time.Hour).In(pacific),
			LastUsedAt: time.Date(1970, time.January, 1, 0, 0, 1, 0, time.UTC),
			Secrets: []oauthreg.Secret{{
				ID:        "s1",
				CreatedAt: BaseTime().In(pacific),
				ExpiresAt: time.Date(2099, time.December, 31, 23, 59, 59, 999_999_000, india),
			}},
		}
		want := c.Clone()
		mustCreate(t, st, c)
		checkStored(t, st, withVersion(want, 1), "times in non-UTC zones, 1970 and 2099")
	})

	s.run(t, "IDsAreExactBytes", func(t *testing.T, st oauthreg.Store) {
		// Case-insensitive, accent-insensitive and PAD SPACE collations
		// would make some of these the same client.
		ids := []string{"a", "A", "a ", "ä", "a\u0308", "ß", "ss", "client-1", "Client-1"}
		for _, id := range ids {
			c := &oauthreg.Client{ID: id, Name: "name of " + id}
			if err := st.CreateClient(t.Context(), c); err != nil {
				t.Fatalf("CreateClient(%+q) after creating %+q: %v (IDs must be compared byte for byte: "+
					"check for a case- or accent-insensitive collation or PAD SPACE comparison)", id, ids, err)
			}
		}
		for _, id := range ids {
			got := mustGet(t, st, id)
			if got.ID != id || got.Name != "name of "+id {
				t.Errorf("GetClient(%+q) returned client %+q named %+q: IDs must be compared byte for byte", id, got.ID, got.Name)
			}
		}
		for _, id := range []string{"a  ", " a", "Ä", "á", "b", "client-1 ", "CLIENT-1"} {
			c, err := st.GetClient(t.Context(), id)
			if err == nil {
				t.Errorf("GetClient(%+q) returned client %+q, want ErrNotFound: IDs must be compared byte for byte", id, c.ID)
				continue
			}
			wantErr(t, err, oauthreg.ErrNotFound, fmt.Sprintf("GetClient(%+q)", id))
		}
	})

	s.run(t, "LongValues", func(t *testing.T, st oauthreg.Store) {
		c := NewClient(strings.Repeat("i", 250) + "-long")
		c.Name = strings.Repeat("n", 255)
		c.Description = strings.Repeat("Ünïcødé ", 4096/len("Ünïcødé ")) // 4,092 bytes
		c.RedirectURIs = []string{"https://example.com/cb?q=" + strings.Repeat("x", 2048-len("https://example.com/cb?q="))}
		c.Scopes = nil
		for i := range 100 {
			c.Scopes = append(c.Scopes, fmt.Sprintf("scope:%03d", 99-i))
		}
		c.Metadata = map[string]string{"long": strings.Repeat("v", 4096)}
		for i := range 49 {
			c.Metadata[fmt.Sprintf("key-%02d", i)] = fmt.Sprintf("value-%02d", i)
		}
		c.Secrets = nil
		for i := range 20 {
			sec := NewSecret(fmt.Sprintf("s%02d", 19-i), BaseTime())
			sec.Hash = oauthreg.Conceal("$argon2id$v=19$m=19456,t=2,p=1$" + strings.Repeat("h", 512-len("$argon2id$v=19$m=19456,t=2,p=1$")))
			sec.Sealed = oauthreg.Conceal(strings.Repeat("S", 1024))
			c.Secrets = append(c.Secrets, sec)
		}
		want := c.Clone()
		if err := st.CreateClient(t.Context(), c); err != nil {
			t.Fatalf("CreateClient with long values (a 255-byte ID and name, 4 KiB description and metadata value, "+
				"a 2 KiB redirect URI, 100 scopes, 50 metadata entries, 20 secrets with 512-byte hashes and 1 KiB sealed values): %v", err)
		}
		checkStored(t, st, withVersion(want, 1), "a client with long values")
	})

	s.run(t, "SetsVersionToOne", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("versioned")
		c.Version = 42
		if err := st.CreateClient(t.Context(), c); err != nil {
			t.Fatalf("CreateClient: %v", err)
		}
		if c.Version != 1 {
			t.Errorf("CreateClient of a client with Version 42 set c.Version to %d, want 1", c.Version)
		}
		if got := mustGet(t, st, "versioned"); got.Version != 1 {
			t.Errorf("CreateClient of a client with Version 42 stored Version %d, want 1", got.Version)
		}
	})

	s.run(t, "DuplicateID", func(t *testing.T, st oauthreg.Store) {
		first := NewClient("dup")
		mustCreate(t, st, first)
		second := NewClient("dup")
		second.Name = "second"
		second.Secrets = []oauthreg.Secret{NewSecret("other", BaseTime())}
		wantErr(t, st.CreateClient(t.Context(), second), oauthreg.ErrAlreadyExists, `second CreateClient("dup")`)
		checkStored(t, st, first, "the first client after a CreateClient with its ID failed")
	})

	s.run(t, "InputIsCopied", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("copied-in")
		want := withVersion(c, 1)
		mustCreate(t, st, c)
		mutate(c)
		checkStored(t, st, want, "after the caller changed the client it had passed to CreateClient (the store must keep a copy)")
	})
}

func (s suite) testGetClient(t *testing.T) {
	s.run(t, "NotFound", func(t *testing.T, st oauthreg.Store) {
		_, err := st.GetClient(t.Context(), "nope")
		wantErr(t, err, oauthreg.ErrNotFound, `GetClient("nope") on an empty store`)
		mustCreate(t, st, NewClient("yes"))
		_, err = st.GetClient(t.Context(), "nope")
		wantErr(t, err, oauthreg.ErrNotFound, `GetClient("nope")`)
		_, err = st.GetClient(t.Context(), "")
		wantErr(t, err, oauthreg.ErrNotFound, `GetClient("")`)
	})

	s.run(t, "ReturnsCopies", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("copied-out")
		mustCreate(t, st, c)
		got := mustGet(t, st, "copied-out")
		mutate(got)
		checkStored(t, st, c, "after the caller changed a client GetClient had returned (the store must return copies)")
	})
}

func (s suite) testUpdateClient(t *testing.T) {
	s.run(t, "ReplacesEveryField", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("replaced")
		mustCreate(t, st, c)

		// Change every field, clearing some.
		t1 := BaseTime().Add(48 * time.Hour)
		u := &oauthreg.Client{
			ID:                      "replaced",
			Owner:                   "org-new",
			Name:                    "renamed",
			Description:             "",
			GrantTypes:              []oauthreg.GrantType{oauthreg.GrantDeviceCode},
			ResponseTypes:           nil,
			Scopes:                  []string{"only"},
			RedirectURIs:            nil,
			TokenEndpointAuthMethod: oauthreg.AuthClientSecretBasic,
			Public:                  false,
			AccessTokenTTL:          time.Minute,
			RefreshTokenTTL:         0,
			Disabled:                true,
			SystemTags:              nil,
			UserTags:                []string{"new"},
			Metadata:                map[string]string{"tenant": "other"},
			RotationPolicy:          nil,
			CreatedAt:               c.CreatedAt,
			UpdatedAt:               t1,
			LastUsedAt:              time.Time{},
			Version:                 1,
			Secrets:                 []oauthreg.Secret{NewSecret("fresh", t1)},
		}
		want := storedLastUsed(u.Clone(), c)
		mustUpdate(t, st, u)
		checkStored(t, st, withVersion(want, 2), "after an UpdateClient that changed every field (last-used times stay as stored: only TouchClient writes them)")

		// And back: fields cleared by the first update can be set again.
		back := NewClient("replaced")
		back.Version = 2
		given := back.Clone()
		want = storedLastUsed(back.Clone(), c)
		for i := range want.Secrets {
			want.Secrets[i].LastUsedAt = time.Time{} // s1..s3 are new secrets again
		}
		mustUpdate(t, st, back)
		checkStored(t, st, withVersion(want, 3), "after a second UpdateClient that set every field again")
		if d := Diff(withVersion(given, 3), back); len(d) > 0 {
			t.Errorf("UpdateClient changed the client it was given beyond setting Version:\n\t%s", joinLines(d))
		}
	})

	s.run(t, "Rotation", func(t *testing.T, st oauthreg.Store) {
		t0 := BaseTime()
		c := &oauthreg.Client{ID: "rotating", Secrets: []oauthreg.Secret{NewSecret("old", t0)}}
		mustCreate(t, st, c)

		// Rotate: the old secret gets an expiry, a new one is appended.
		c.Secrets[0].ExpiresAt = t0.Add(24 * time.Hour)
		c.Secrets = append(c.Secrets, NewSecret("new", t0.Add(time.Minute)))
		mustUpdate(t, st, c)
		checkStored(t, st, c, "after a rotation (old secret given an ExpiresAt, new secret appended)")

		// Regenerate: both revoked, a third appended.
		c.Secrets[0].RevokedAt = t0.Add(time.Hour)
		c.Secrets[1].RevokedAt = t0.Add(time.Hour)
		c.Secrets = append(c.Secrets, NewSecret("newest", t0.Add(time.Hour)))
		mustUpdate(t, st, c)
		checkStored(t, st, c, "after a regeneration (two secrets revoked, one appended)")

		// Purge: the first two disappear.
		c.Secrets = c.Secrets[2:]
		mustUpdate(t, st, c)
		checkStored(t, st, c, "after removing two secrets (they must disappear from the store)")

		// A secret can come back under a removed ID.
		c.Secrets = append(c.Secrets, NewSecret("old", t0.Add(2*time.Hour)))
		mustUpdate(t, st, c)
		checkStored(t, st, c, "after adding a secret with the ID of a removed one")

		// And all can go.
		c.Secrets = nil
		mustUpdate(t, st, c)
		checkStored(t, st, c, "after removing every secret")
		if c.Version != 6 {
			t.Errorf("after five updates the version is %d, want 6", c.Version)
		}
	})

	s.run(t, "StaleVersionConflicts", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("contended")
		mustCreate(t, st, c)
		mine := c.Clone()
		theirs := c.Clone()
		theirs.Name = "theirs"
		mustUpdate(t, st, theirs) // now at version 2
		want := theirs.Clone()

		for _, v := range []int64{1, 0, 3, 100} {
			stale := mine.Clone()
			stale.Version = v
			stale.Name = "stale"
			stale.Secrets = append(stale.Secrets, NewSecret("stale", BaseTime()))
			wantErr(t, st.UpdateClient(t.Context(), stale), oauthreg.ErrConflict,
				fmt.Sprintf("UpdateClient with Version %d when the stored version is 2", v))
			checkStored(t, st, want, fmt.Sprintf("after an UpdateClient with Version %d failed (nothing may change)", v))
		}
	})

	s.run(t, "NotFound", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("ghost")
		c.Version = 1
		wantErr(t, st.UpdateClient(t.Context(), c), oauthreg.ErrNotFound, `UpdateClient("ghost") of a client that was never created`)
		if _, err := st.GetClient(t.Context(), "ghost"); err == nil {
			t.Error(`UpdateClient("ghost") created the client; it must only update existing ones`)
		}
	})

	s.run(t, "InputIsCopied", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("copied-in")
		mustCreate(t, st, c)
		c.Name = "updated"
		mustUpdate(t, st, c)
		want := c.Clone()
		mutate(c)
		checkStored(t, st, want, "after the caller changed the client it had passed to UpdateClient (the store must keep a copy)")
	})
}

func (s suite) testDeleteClient(t *testing.T) {
	s.run(t, "RemovesClientAndSecrets", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("doomed")
		mustCreate(t, st, c)
		other := NewClient("survivor")
		mustCreate(t, st, other)

		if err := st.DeleteClient(t.Context(), "doomed"); err != nil {
			t.Fatalf(`DeleteClient("doomed"): %v`, err)
		}
		_, err := st.GetClient(t.Context(), "doomed")
		wantErr(t, err, oauthreg.ErrNotFound, `GetClient("doomed") after DeleteClient`)
		wantErr(t, st.DeleteClient(t.Context(), "doomed"), oauthreg.ErrNotFound, `a second DeleteClient("doomed")`)
		wantErr(t, st.TouchClient(t.Context(), "doomed", "s1", BaseTime()), oauthreg.ErrNotFound, `TouchClient("doomed") after DeleteClient`)
		c.Version = 1
		wantErr(t, st.UpdateClient(t.Context(), c), oauthreg.ErrNotFound, `UpdateClient("doomed") after DeleteClient`)

		page, err := st.ListClients(t.Context(), oauthreg.ListQuery{})
		if err != nil {
			t.Fatalf("ListClients: %v", err)
		}
		if ids := clientIDs(page.Clients); len(ids) != 1 || ids[0] != "survivor" {
			t.Errorf("ListClients after DeleteClient(%q) listed %q, want only %q", "doomed", ids, "survivor")
		}
		exp, err := st.SecretsExpiring(t.Context(), time.Time{}, farFuture)
		if err != nil {
			t.Fatalf("SecretsExpiring: %v", err)
		}
		for _, e := range exp {
			if e.ClientID == "doomed" {
				t.Errorf("SecretsExpiring lists secret %q of deleted client %q: DeleteClient must delete the secrets too", e.SecretID, e.ClientID)
			}
		}
		checkStored(t, st, other, "another client after DeleteClient")
	})

	s.run(t, "RecreateSameID", func(t *testing.T, st oauthreg.Store) {
		mustCreate(t, st, NewClient("phoenix"))
		if err := st.DeleteClient(t.Context(), "phoenix"); err != nil {
			t.Fatalf(`DeleteClient("phoenix"): %v`, err)
		}
		// The new client reuses one secret ID and has fewer secrets: no
		// secret of the old one may survive.
		c := &oauthreg.Client{
			ID:      "phoenix",
			Name:    "reborn",
			Secrets: []oauthreg.Secret{NewSecret("s1", BaseTime().Add(time.Hour))},
		}
		want := c.Clone()
		if err := st.CreateClient(t.Context(), c); err != nil {
			t.Fatalf(`CreateClient("phoenix") after deleting it: %v`, err)
		}
		checkStored(t, st, withVersion(want, 1), "a client re-created with the ID of a deleted one (nothing of the old one may remain)")
	})

	s.run(t, "NotFound", func(t *testing.T, st oauthreg.Store) {
		wantErr(t, st.DeleteClient(t.Context(), "nope"), oauthreg.ErrNotFound, `DeleteClient("nope") on an empty store`)
	})
}

// farFuture is after every time the suite uses.
var farFuture = time.Date(2200, time.January, 1, 0, 0, 0, 0, time.UTC)

// mutate changes every part of c that a store could share with its caller:
// the struct, each slice's elements, the map, the rotation policy and every
// secret.
func mutate(c *oauthreg.Client) {
	c.Name = "MUTATED"
	c.Owner = "MUTATED"
	for i := range c.GrantTypes {
		c.GrantTypes[i] = "MUTATED"
	}
	for i := range c.ResponseTypes {
		c.ResponseTypes[i] = "MUTATED"
	}
	for _, s := range [][]string{c.Scopes, c.RedirectURIs, c.SystemTags, c.UserTags} {
		for i := range s {
			s[i] = "MUTATED"
		}
	}
	for k := range c.Metadata {
		c.Metadata[k] = "MUTATED"
	}
	if c.Metadata != nil {
		c.Metadata["MUTATED"] = "MUTATED"
	}
	if c.RotationPolicy != nil {
		c.RotationPolicy.GracePeriod = 12345
		c.RotationPolicy.OwnerOnlyRotation = !c.RotationPolicy.OwnerOnlyRotation
	}
	for i := range c.Secrets {
		s := &c.Secrets[i]
		s.Hash, s.Sealed, s.Hint = oauthreg.Conceal("MUTATED"), oauthreg.Conceal("MUTATED"), "MUTATED"
		s.ExpiresAt = BaseTime().Add(-time.Hour)
	}
	c.Secrets = append(c.Secrets, NewSecret("MUTATED", BaseTime()))
	c.Version = 999
}

func clientIDs(cs []*oauthreg.Client) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		if c == nil {
			ids[i] = "<nil client>"
			continue
		}
		ids[i] = c.ID
	}
	return ids
}

// storedLastUsed returns want with the last-used times UpdateClient keeps:
// the client's from stored, and each secret's from the stored secret of the
// same ID (none for a new secret).
func storedLastUsed(want, stored *oauthreg.Client) *oauthreg.Client {
	want.LastUsedAt = stored.LastUsedAt
	for i := range want.Secrets {
		prev, _ := stored.Secret(want.Secrets[i].ID)
		want.Secrets[i].LastUsedAt = prev.LastUsedAt
	}
	return want
}

// testInvalidUTF8 pins what a store does with text that is not valid UTF-8
// (the Registry never sends it, but a Store may be called directly): it
// either refuses the write, changing nothing, or keeps the bytes exactly. It
// never stores something else than what it was given.
func (s suite) testInvalidUTF8(t *testing.T) {
	s.run(t, "RefusedOrKeptExactly", func(t *testing.T, st oauthreg.Store) {
		c := NewClient("utf8")
		c.Name = "bad \xff name"
		c.Secrets[0].Hint = "h\xfe"
		err := st.CreateClient(t.Context(), c)
		if err != nil {
			if _, gerr := st.GetClient(t.Context(), "utf8"); gerr == nil {
				t.Fatalf("CreateClient refused invalid UTF-8 (%v) but stored the client anyway", err)
			}
			return
		}
		got := mustGet(t, st, "utf8")
		if got.Name != c.Name || got.Secrets[0].Hint != c.Secrets[0].Hint {
			t.Fatalf("invalid UTF-8 was altered: name %q hint %q, want %q %q (refuse it or keep it exactly)", got.Name, got.Secrets[0].Hint, c.Name, c.Secrets[0].Hint)
		}
	})
}

// testDeleteClientAt runs when the store implements
// oauthreg.VersionedDeleter: a delete at a stale version deletes nothing.
func (s suite) testDeleteClientAt(t *testing.T) {
	s.run(t, "VersionChecked", func(t *testing.T, st oauthreg.Store) {
		vd, ok := st.(oauthreg.VersionedDeleter)
		if !ok {
			t.Skip("the store does not implement oauthreg.VersionedDeleter")
		}
		c := NewClient("vd")
		mustCreate(t, st, c)
		mustUpdate(t, st, c) // now at version 2
		wantErr(t, vd.DeleteClientAt(t.Context(), "vd", 1), oauthreg.ErrConflict, "DeleteClientAt at a stale version")
		mustGet(t, st, "vd")
		if err := vd.DeleteClientAt(t.Context(), "vd", 2); err != nil {
			t.Fatalf("DeleteClientAt at the stored version: %v", err)
		}
		if _, err := st.GetClient(t.Context(), "vd"); err == nil {
			t.Fatal("DeleteClientAt at the stored version did not delete")
		}
		wantErr(t, vd.DeleteClientAt(t.Context(), "vd", 2), oauthreg.ErrNotFound, "DeleteClientAt of a deleted client")
		expiring, err := st.SecretsExpiring(t.Context(), BaseTime().AddDate(-50, 0, 0), BaseTime().AddDate(50, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range expiring {
			if e.ClientID == "vd" {
				t.Fatal("DeleteClientAt left the client's secrets behind")
			}
		}
	})
}
