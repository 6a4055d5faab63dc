// Package oauthregtest is a test kit for code that uses oauthreg: one call
// gives a test an in-memory Registry with a fake clock it can advance, and
// helpers register ready-to-use confidential and public clients.
//
//	func TestTokenEndpoint(t *testing.T) {
//		kit := oauthregtest.New(t)
//		client, secret := kit.ConfidentialClient(t)
//		// drive your handler with client.ID and secret.Reveal() ...
//		kit.Clock.Advance(25 * time.Hour)
//	}
package oauthregtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// Epoch is the time a new Clock starts at: fixed, so tests are repeatable.
var Epoch = time.Date(2030, time.January, 1, 9, 0, 0, 0, time.UTC)

// Clock is a fake clock for tests, safe for concurrent use. Its zero value
// starts at Epoch.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock that stands at t until advanced.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time. Pass the method value to
// oauthreg.WithClock(clock.Now).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = Epoch
	}
	return c.now
}

// Advance moves the clock forward by d (backwards if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = Epoch
	}
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Kit is what New returns: a Registry on an in-memory store, the store
// itself and the fake clock the Registry reads.
type Kit struct {
	*oauthreg.Registry
	Store *memstore.Store
	Clock *Clock
}

// New returns a Kit whose Registry uses a fresh memstore and a fake clock
// starting at Epoch. Extra options are passed to oauthreg.New after the
// clock (so a test may replace it). It fails the test on a configuration
// error.
func New(t testing.TB, opts ...oauthreg.Option) *Kit {
	t.Helper()
	clock := NewClock(Epoch)
	store := memstore.New()
	reg, err := oauthreg.New(store, append([]oauthreg.Option{oauthreg.WithClock(clock.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("oauthregtest.New: %v", err)
	}
	return &Kit{Registry: reg, Store: store, Clock: clock}
}

// ConfidentialClient registers a confidential client that uses the
// client_credentials grant with client_secret_basic and the scopes "read" and
// "write", applies the changes in edit (if any) before registering, and
// returns it with its secret. It fails the test on error.
func (k *Kit) ConfidentialClient(t testing.TB, edit ...func(*oauthreg.Client)) (*oauthreg.Client, oauthreg.PlainSecret) {
	t.Helper()
	c := oauthreg.Client{
		Owner:      "test-org",
		Name:       "test confidential client",
		GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials},
		Scopes:     []string{"read", "write"},
	}
	for _, e := range edit {
		e(&c)
	}
	got, secret, err := k.Register(context.Background(), c)
	if err != nil {
		t.Fatalf("oauthregtest: register confidential client: %v", err)
	}
	return got, secret
}

// PublicClient registers a public client (a browser or native app: method
// none, authorization_code with PKCE expected) with the redirect URI
// http://127.0.0.1/callback, applies edit, and returns it. It fails the test
// on error.
func (k *Kit) PublicClient(t testing.TB, edit ...func(*oauthreg.Client)) *oauthreg.Client {
	t.Helper()
	c := oauthreg.Client{
		Owner:        "test-org",
		Name:         "test public client",
		Public:       true,
		GrantTypes:   []oauthreg.GrantType{oauthreg.GrantAuthorizationCode, oauthreg.GrantRefreshToken},
		RedirectURIs: []string{"http://127.0.0.1/callback"},
		Scopes:       []string{"openid", "profile"},
	}
	for _, e := range edit {
		e(&c)
	}
	got, _, err := k.Register(context.Background(), c)
	if err != nil {
		t.Fatalf("oauthregtest: register public client: %v", err)
	}
	return got
}
