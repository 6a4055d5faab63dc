package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
)

func (s suite) testSecretsExpiring(t *testing.T) {
	after := BaseTime()
	notAfter := after.Add(24 * time.Hour)
	ms := time.Millisecond

	// secret returns a secret with the given ID and expiry.
	secret := func(id string, expires time.Time) oauthreg.Secret {
		sec := NewSecret(id, after.Add(-72*time.Hour))
		sec.ExpiresAt = expires
		return sec
	}
	revoked := secret("revoked", after.Add(time.Hour))
	revoked.RevokedAt = after.Add(-time.Hour)
	revokedLater := secret("revoked-later", after.Add(time.Hour))
	revokedLater.RevokedAt = after.Add(30 * time.Minute) // revoked before it expires, still revoked

	// The fixture: client IDs whose byte order ("B" < "a" < "c") is not
	// their case-insensitive order, secrets not in ID order within a client.
	fixture := func(t *testing.T, st oauthreg.Store) {
		t.Helper()
		mustCreate(t, st, &oauthreg.Client{ID: "a", Owner: "org-x", Secrets: []oauthreg.Secret{
			secret("never", time.Time{}),
			secret("at-after", after),
			secret("just-after", after.Add(ms)),
			secret("at-not-after", notAfter),
			secret("past-not-after", notAfter.Add(ms)),
			revoked,
			revokedLater,
			secret("long-ago", after.Add(-48*time.Hour)),
			secret("tie", after.Add(2*time.Hour)),
		}})
		mustCreate(t, st, &oauthreg.Client{ID: "B", Owner: "org-y", Secrets: []oauthreg.Secret{
			secret("z", after.Add(2*time.Hour)),
			secret("y", after.Add(2*time.Hour)),
		}})
		mustCreate(t, st, &oauthreg.Client{ID: "c", Secrets: []oauthreg.Secret{
			secret("m", after.Add(time.Hour)),
		}})
		mustCreate(t, st, &oauthreg.Client{ID: "public", Public: true})
	}
	entry := func(client, owner, id string, expires time.Time) oauthreg.ExpiringSecret {
		return oauthreg.ExpiringSecret{ClientID: client, Owner: owner, SecretID: id, Hint: hint(id), ExpiresAt: expires}
	}
	window := []oauthreg.ExpiringSecret{
		entry("a", "org-x", "just-after", after.Add(ms)),
		entry("c", "", "m", after.Add(time.Hour)),
		entry("B", "org-y", "y", after.Add(2*time.Hour)),
		entry("B", "org-y", "z", after.Add(2*time.Hour)),
		entry("a", "org-x", "tie", after.Add(2*time.Hour)),
		entry("a", "org-x", "at-not-after", notAfter),
	}

	s.run(t, "Window", func(t *testing.T, st oauthreg.Store) {
		fixture(t, st)
		checkExpiring(t, st, after, notAfter, window,
			"(after, notAfter] excludes after itself and includes notAfter; revoked and never-expiring secrets are left out; "+
				"the order is ExpiresAt, then client ID in byte order, then secret ID")
		checkExpiring(t, st, time.Time{}, after, []oauthreg.ExpiringSecret{
			entry("a", "org-x", "long-ago", after.Add(-48*time.Hour)),
			entry("a", "org-x", "at-after", after),
		}, "a window from the zero time includes secrets that expired long ago, and its upper bound")
	})

	s.run(t, "TimeZones", func(t *testing.T, st oauthreg.Store) {
		fixture(t, st)
		zone := time.FixedZone("HST", -10*3600)
		checkExpiring(t, st, after.In(zone), notAfter.In(zone), window,
			"the same window given in another time zone (the bounds are instants)")
	})

	s.run(t, "EmptyWindows", func(t *testing.T, st oauthreg.Store) {
		checkExpiring(t, st, after, notAfter, nil, "an empty store")
		fixture(t, st)
		checkExpiring(t, st, farFuture, farFuture.AddDate(1, 0, 0), nil, "a window after every expiry")
		checkExpiring(t, st, after.Add(3*time.Hour), after.Add(4*time.Hour), nil, "a window between expiries")
		checkExpiring(t, st, notAfter, after, nil, "a window whose end is before its start")
	})

	s.run(t, "FollowsUpdates", func(t *testing.T, st oauthreg.Store) {
		fixture(t, st)
		c := mustGet(t, st, "B")
		c.Secrets[0].RevokedAt = after // z: revoked
		c.Secrets[1].ExpiresAt = after.Add(3 * time.Hour)
		c.Secrets = append(c.Secrets, secret("x", after.Add(ms)))
		c.Owner = "org-z"
		mustUpdate(t, st, c)
		if err := st.DeleteClient(t.Context(), "c"); err != nil {
			t.Fatalf("DeleteClient: %v", err)
		}
		checkExpiring(t, st, after, notAfter, []oauthreg.ExpiringSecret{
			entry("B", "org-z", "x", after.Add(ms)),
			entry("a", "org-x", "just-after", after.Add(ms)),
			entry("a", "org-x", "tie", after.Add(2*time.Hour)),
			entry("B", "org-z", "y", after.Add(3*time.Hour)),
			entry("a", "org-x", "at-not-after", notAfter),
		}, "after an update revoked one secret, moved another's expiry, added a third and changed the owner, and another client was deleted")
	})
}

func checkExpiring(t *testing.T, st oauthreg.Store, after, notAfter time.Time, want []oauthreg.ExpiringSecret, context string) {
	t.Helper()
	got, err := st.SecretsExpiring(t.Context(), after, notAfter)
	if err != nil {
		t.Fatalf("SecretsExpiring(%s, %s): %v", showTime(after), showTime(notAfter), err)
	}
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		g, w := got[i], want[i]
		same = g.ClientID == w.ClientID && g.Owner == w.Owner && g.SecretID == w.SecretID &&
			g.Hint == w.Hint && g.ExpiresAt.Equal(w.ExpiresAt)
	}
	if !same {
		t.Errorf("SecretsExpiring(%s, %s), %s:\ngot\n\t%s\nwant\n\t%s",
			showTime(after), showTime(notAfter), context, showExpiring(got), showExpiring(want))
	}
}

func showExpiring(es []oauthreg.ExpiringSecret) string {
	if len(es) == 0 {
		return "(none)"
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = fmt.Sprintf("client %q (owner %q) secret %q (hint %q) expires %s", e.ClientID, e.Owner, e.SecretID, e.Hint, showTime(e.ExpiresAt))
	}
	return strings.Join(lines, "\n\t")
}
