package oauthreg_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// plainStore hides memstore's optional interfaces: the Registry reads it
// with GetClient, as it reads a SQL store.
type plainStore struct{ oauthreg.Store }

// TestAuthenticateViewMatchesAuthenticate runs every outcome through
// Authenticate and AuthenticateView, on a ClientViewer and on a store
// without it: the same errors, the same events, and on success a view of
// the client Authenticate returns.
func TestAuthenticateViewMatchesAuthenticate(t *testing.T) {
	for name, wrap := range map[string]func(*memstore.Store) oauthreg.Store{
		"viewer":     func(s *memstore.Store) oauthreg.Store { return s },
		"not viewer": func(s *memstore.Store) oauthreg.Store { return plainStore{s} },
	} {
		t.Run(name, func(t *testing.T) {
			var events []oauthreg.Event
			reg, err := oauthreg.New(wrap(memstore.New()), oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
				events = append(events, e)
			})))
			if err != nil {
				t.Fatal(err)
			}
			c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "c", Owner: "o", Scopes: []string{"read"}})
			if err != nil {
				t.Fatal(err)
			}
			post, psecret, err := reg.Register(ctx, oauthreg.Client{Name: "p", TokenEndpointAuthMethod: oauthreg.AuthClientSecretPost})
			if err != nil {
				t.Fatal(err)
			}
			disabled, dsecret, err := reg.Register(ctx, oauthreg.Client{Name: "d", Disabled: true})
			if err != nil {
				t.Fatal(err)
			}
			rotated, err := reg.RotateSecret(ctx, c.ID) // c's first secret is now in its grace period
			if err != nil {
				t.Fatal(err)
			}
			type call struct {
				method     oauthreg.AuthMethod
				id, secret string
			}
			for cname, tc := range map[string]call{
				"right":                {"", c.ID, rotated.Reveal()},
				"right, in grace":      {"", c.ID, secret.Reveal()},
				"right, basic":         {oauthreg.AuthClientSecretBasic, c.ID, rotated.Reveal()},
				"wrong method":         {oauthreg.AuthClientSecretBasic, post.ID, psecret.Reveal()},
				"right method":         {oauthreg.AuthClientSecretPost, post.ID, psecret.Reveal()},
				"unknown client":       {"", "nobody", rotated.Reveal()},
				"invalid client ID":    {"", "bad\x00id", rotated.Reveal()},
				"another's secret":     {"", c.ID, psecret.Reveal()},
				"disabled":             {"", disabled.ID, dsecret.Reveal()},
				"supplied format":      {"", c.ID, "correct horse battery staple"},
				"empty secret":         {"", c.ID, ""},
				"truncated":            {"", c.ID, rotated.Reveal()[:20]},
				"unknown, supplied":    {"", "nobody", "correct horse battery staple"},
				"huge secret":          {"", c.ID, strings.Repeat("a", 5000)},
				"unknown method given": {oauthreg.AuthPrivateKeyJWT, c.ID, rotated.Reveal()},
			} {
				events = nil
				var full *oauthreg.Client
				var err error
				if tc.method == "" {
					full, err = reg.Authenticate(ctx, tc.id, tc.secret)
				} else {
					full, err = reg.AuthenticateWith(ctx, tc.method, tc.id, tc.secret)
				}
				fullEvents := events
				events = nil
				view, verr := reg.AuthenticateView(ctx, tc.method, tc.id, tc.secret)
				if (err == nil) != (verr == nil) || (err != nil && (errors.Is(err, oauthreg.ErrInvalidCredentials) != errors.Is(verr, oauthreg.ErrInvalidCredentials) ||
					errors.Is(err, oauthreg.ErrInvalidConfig) != errors.Is(verr, oauthreg.ErrInvalidConfig))) {
					t.Errorf("%s: Authenticate %v, AuthenticateView %v", cname, err, verr)
					continue
				}
				if err != nil {
					if !view.IsZero() {
						t.Errorf("%s: a failed AuthenticateView returned a view of %q", cname, view.ID())
					}
				} else {
					got := view.Clone()
					// The second call may have found the last-used time
					// recorded by the first: compare the rest.
					got.LastUsedAt, full.LastUsedAt = full.LastUsedAt, got.LastUsedAt
					for i := range got.Secrets {
						got.Secrets[i].LastUsedAt = full.Secrets[i].LastUsedAt
					}
					if view.ID() != full.ID || view.Owner() != full.Owner || view.Version() != full.Version || !reflect.DeepEqual(got, full) {
						t.Errorf("%s: the view's client differs from Authenticate's:\n%+v\n%+v", cname, got, full)
					}
				}
				for i := range fullEvents {
					fullEvents[i].Time = events[min(i, len(events)-1)].Time
				}
				if !reflect.DeepEqual(fullEvents, events) {
					t.Errorf("%s: events differ:\nAuthenticate:     %+v\nAuthenticateView: %+v", cname, fullEvents, events)
				}
			}
		})
	}
}

// TestAuthenticateViewCopiesNothing: on memstore, a success allocates
// nothing (Authenticate allocates the client it returns), and each Clone is
// the caller's own.
func TestAuthenticateViewCopiesNothing(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation may allocate")
	}
	reg, err := oauthreg.New(memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "c", Scopes: []string{"read"}})
	if err != nil {
		t.Fatal(err)
	}
	plain := secret.Reveal()
	if _, err := reg.AuthenticateView(ctx, "", c.ID, plain); err != nil { // records the last use
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(200, func() {
		if _, err := reg.AuthenticateView(ctx, "", c.ID, plain); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("AuthenticateView: %v allocations per success, want 0", n)
	}
	view, err := reg.AuthenticateView(ctx, "", c.ID, plain)
	if err != nil {
		t.Fatal(err)
	}
	first := view.Clone()
	first.Scopes[0] = "changed"
	first.Secrets[0].ID = "changed"
	if again := view.Clone(); again.Scopes[0] != "read" || again.Secrets[0].ID == "changed" {
		t.Errorf("a Clone shares memory with the view: %v %q", again.Scopes, again.Secrets[0].ID)
	}
}

// TestAuthenticateViewUpgradesHash: a success that upgrades the hash (here
// to a pepper) decodes the client to write it, and the view shows the new
// version.
func TestAuthenticateViewUpgradesHash(t *testing.T) {
	store := memstore.New()
	plain, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := plain.Register(ctx, oauthreg.Client{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	peppered, err := oauthreg.New(store, oauthreg.WithPepper("k1", []byte("0123456789abcdef0123")))
	if err != nil {
		t.Fatal(err)
	}
	view, err := peppered.AuthenticateView(ctx, "", c.ID, secret.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := store.GetClient(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored.Secrets[0].Hash.Reveal(), "$sha256-keyed$k=k1$") {
		t.Fatalf("not upgraded to the pepper: %q", stored.Secrets[0].Hash.Reveal())
	}
	if view.Version() != stored.Version || !view.Clone().Secrets[0].Hash.Equal(stored.Secrets[0].Hash) {
		t.Errorf("the view after an upgrade: version %d, stored %d", view.Version(), stored.Version)
	}
}

// TestZeroClientView: the zero view's accessors answer without a panic.
func TestZeroClientView(t *testing.T) {
	var v oauthreg.ClientView
	if !v.IsZero() || v.ID() != "" || v.Owner() != "" || v.Version() != 0 || v.Clone() != nil {
		t.Errorf("zero view: %v %q %q %d %v", v.IsZero(), v.ID(), v.Owner(), v.Version(), v.Clone())
	}
}

// TestAuthenticateViewShowsItsOwnUse: the success that records the
// last-used time shows it in the view's Clone, as Authenticate's client
// does, on a ClientViewer as on a store without it (whose view holds the
// client GetClient copied, which the Registry updates).
func TestAuthenticateViewShowsItsOwnUse(t *testing.T) {
	for name, wrap := range map[string]func(*memstore.Store) oauthreg.Store{
		"viewer":     func(s *memstore.Store) oauthreg.Store { return s },
		"not viewer": func(s *memstore.Store) oauthreg.Store { return plainStore{s} },
	} {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			reg, err := oauthreg.New(wrap(memstore.New()), oauthreg.WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "c"})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the first use, then one an interval later
				now = now.Add(time.Hour)
				view, err := reg.AuthenticateView(ctx, "", c.ID, secret.Reveal())
				if err != nil {
					t.Fatal(err)
				}
				stored, err := reg.Get(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !stored.LastUsedAt.Equal(now) {
					t.Fatalf("stored last use %v, want %v", stored.LastUsedAt, now)
				}
				got := view.Clone()
				if !got.LastUsedAt.Equal(now) || !got.Secrets[0].LastUsedAt.Equal(now) || view.Version() != stored.Version {
					t.Errorf("the view of the success that recorded its use at %v shows %v / %v (version %d, stored %d)",
						now, got.LastUsedAt, got.Secrets[0].LastUsedAt, view.Version(), stored.Version)
				}
			}
		})
	}
}

// TestAuthenticateViewSealsOnce: under WithKeyRing the first success with
// a secret that has no sealed copy adds one (EventSecretUpgraded, a new
// version the view shows); later successes, through Authenticate or
// AuthenticateView, see the copy and write nothing more. A generated and
// a supplied secret, on a ClientViewer and on a store without it.
func TestAuthenticateViewSealsOnce(t *testing.T) {
	ring := testKeyRing(t)
	for name, wrap := range map[string]func(*memstore.Store) oauthreg.Store{
		"viewer":     func(s *memstore.Store) oauthreg.Store { return s },
		"not viewer": func(s *memstore.Store) oauthreg.Store { return plainStore{s} },
	} {
		t.Run(name, func(t *testing.T) {
			store := wrap(memstore.New())
			plain, err := oauthreg.New(store)
			if err != nil {
				t.Fatal(err)
			}
			c, generated, err := plain.Register(ctx, oauthreg.Client{Name: "c"})
			if err != nil {
				t.Fatal(err)
			}
			const supplied = "correct horse battery staple, supplied"
			if _, err := plain.AddSecret(ctx, c.ID, supplied); err != nil {
				t.Fatal(err)
			}
			upgrades := 0
			sealing, err := oauthreg.New(store, oauthreg.WithKeyRing(ring), oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
				if e.Type == oauthreg.EventSecretUpgraded {
					upgrades++
				}
			})))
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{generated.Reveal(), supplied} {
				before := upgrades
				for i := range 4 {
					var version int64
					if i%2 == 0 {
						view, err := sealing.AuthenticateView(ctx, "", c.ID, secret)
						if err != nil {
							t.Fatal(err)
						}
						version = view.Version()
					} else {
						got, err := sealing.Authenticate(ctx, c.ID, secret)
						if err != nil {
							t.Fatal(err)
						}
						version = got.Version
					}
					stored, err := sealing.Get(ctx, c.ID)
					if err != nil {
						t.Fatal(err)
					}
					if version != stored.Version {
						t.Errorf("success %d: version %d, stored %d", i, version, stored.Version)
					}
				}
				if upgrades-before != 1 {
					t.Errorf("%d seal upgrades for four successes with one secret, want 1", upgrades-before)
				}
			}
		})
	}
}
