package oauthreg_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

var ctx = context.Background()

func TestRegisterDefaults(t *testing.T) {
	kit := oauthregtest.New(t)
	c, secret, err := kit.Register(ctx, oauthreg.Client{Owner: "org-1", Name: "billing", Scopes: []string{"read"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == "" || c.Version != 1 || !c.CreatedAt.Equal(oauthregtest.Epoch) || !c.UpdatedAt.Equal(oauthregtest.Epoch) {
		t.Fatalf("identity and timestamps not set: %+v", c)
	}
	if c.TokenEndpointAuthMethod != oauthreg.AuthClientSecretBasic || c.Public {
		t.Fatalf("auth method default: %v public=%v", c.TokenEndpointAuthMethod, c.Public)
	}
	if len(c.GrantTypes) != 1 || c.GrantTypes[0] != oauthreg.GrantClientCredentials {
		t.Fatalf("grant default: %v", c.GrantTypes)
	}
	if c.AccessTokenTTL != 0 || c.RefreshTokenTTL != 0 || !c.Lifetimes.IsZero() {
		t.Fatalf("Register filled lifetimes the client inherits: %v %v %+v", c.AccessTokenTTL, c.RefreshTokenTTL, c.Lifetimes)
	}
	if a, r := kit.EffectiveTokenLifetime(c, "", oauthreg.TokenAccess), kit.EffectiveTokenLifetime(c, "", oauthreg.TokenRefresh); a != 24*time.Hour || r != 240*time.Hour {
		t.Fatalf("effective TTL defaults: %v %v", a, r)
	}
	if secret.IsZero() || len(c.Secrets) != 1 || c.Secrets[0].ID != secret.ID() || c.Secrets[0].Hash.IsZero() {
		t.Fatalf("first secret not issued: %+v", c.Secrets)
	}
	if c.Secrets[0].Hash.Reveal() == secret.Reveal() || c.Secrets[0].Kind != oauthreg.SecretGenerated {
		t.Fatal("secret stored in plaintext or wrong kind")
	}

	stored, err := kit.Get(ctx, c.ID)
	if err != nil || stored.Version != 1 {
		t.Fatalf("Get: %v %+v", err, stored)
	}
	if _, err := kit.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatalf("first secret does not authenticate: %v", err)
	}
}

func TestRegisterCustomTTLsAndIDs(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithTokenTTLs(time.Hour, 2*time.Hour))
	c, _, err := kit.Register(ctx, oauthreg.Client{ID: "my-client", Owner: "o"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "my-client" || c.AccessTokenTTL != 0 ||
		kit.EffectiveTokenLifetime(c, "", oauthreg.TokenAccess) != time.Hour || kit.EffectiveTokenLifetime(c, "", oauthreg.TokenRefresh) != 2*time.Hour {
		t.Fatalf("%+v", c)
	}
	if _, _, err := kit.Register(ctx, oauthreg.Client{ID: "my-client", Owner: "o"}); !errors.Is(err, oauthreg.ErrAlreadyExists) {
		t.Fatalf("duplicate ID: %v", err)
	}
	c2, _, err := kit.Register(ctx, oauthreg.Client{Owner: "o", AccessTokenTTL: time.Minute})
	if err != nil || c2.AccessTokenTTL != time.Minute || c2.Lifetimes.AccessToken != time.Minute {
		t.Fatalf("explicit TTL not kept (or not moved into Lifetimes): %v %v", err, c2)
	}
}

func TestRegisterPublicClient(t *testing.T) {
	kit := oauthregtest.New(t)
	c, secret, err := kit.Register(ctx, oauthreg.Client{
		Owner: "o", TokenEndpointAuthMethod: oauthreg.AuthNone,
		RedirectURIs: []string{"http://127.0.0.1/cb"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Public || !secret.IsZero() || len(c.Secrets) != 0 {
		t.Fatalf("public client: public=%v secret=%v secrets=%d", c.Public, !secret.IsZero(), len(c.Secrets))
	}
	if _, err := kit.RotateSecret(ctx, c.ID); !errors.Is(err, oauthreg.ErrSecretsNotUsed) {
		t.Fatalf("rotate on public client: %v", err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, "anything-at-all-here"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("public client authenticated: %v", err)
	}
}

func TestRegisterInvalidStoresNothing(t *testing.T) {
	kit := oauthregtest.New(t)
	_, _, err := kit.Register(ctx, oauthreg.Client{
		ID: "bad", Owner: "o", GrantTypes: []oauthreg.GrantType{oauthreg.GrantAuthorizationCode},
		RedirectURIs: []string{"https://example.com/cb#frag"},
	})
	var ve *oauthreg.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, oauthreg.ErrInvalidRedirectURI) {
		t.Fatalf("want a redirect URI validation error, got %v", err)
	}
	if _, err := kit.Get(ctx, "bad"); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("invalid client was stored: %v", err)
	}
	_, _, err = kit.Register(ctx, oauthreg.Client{Owner: "o", Public: true, GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if !errors.Is(err, oauthreg.ErrInvalidClientMetadata) {
		t.Fatalf("public client_credentials client accepted: %v", err)
	}
	if _, _, err := kit.Register(ctx, oauthreg.Client{Owner: "o", Secrets: []oauthreg.Secret{{ID: "x"}}}); err == nil {
		t.Fatal("Register accepted caller-made secrets")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	store := memstore.New()
	for name, opts := range map[string][]oauthreg.Option{
		"prefix":       {oauthreg.WithSecretPrefix("bad prefix")},
		"pepper":       {oauthreg.WithPepper("p1", []byte("short"))},
		"pepper id":    {oauthreg.WithPepper("", make([]byte, 32))},
		"policy":       {oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: -time.Second})},
		"ttl":          {oauthreg.WithTokenTTLs(0, time.Hour)},
		"clock":        {oauthreg.WithClock(nil)},
		"argon2":       {oauthreg.WithMaxConcurrentArgon2(0)},
		"update tries": {oauthreg.WithMaxUpdateAttempts(0)},
	} {
		if _, err := oauthreg.New(store, opts...); !errors.Is(err, oauthreg.ErrInvalidConfig) {
			t.Errorf("%s: want ErrInvalidConfig, got %v", name, err)
		}
	}
	if _, err := oauthreg.New(nil); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Errorf("nil store: %v", err)
	}
}

func TestUpdate(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	kit.Clock.Advance(time.Hour)
	got, err := kit.Update(ctx, c.ID, func(c *oauthreg.Client) error {
		c.Name = "renamed"
		c.Scopes = append(c.Scopes, "admin")
		c.Disabled = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "renamed" || !got.HasScope("admin") || !got.Disabled || got.Version != 2 || !got.UpdatedAt.Equal(oauthregtest.Epoch.Add(time.Hour)) {
		t.Fatalf("update not applied: %+v", got)
	}

	// Invalid metadata, read-only fields and fn errors change nothing.
	boom := errors.New("boom")
	for name, tc := range map[string]struct {
		fn   func(*oauthreg.Client) error
		want error
	}{
		"invalid scope": {func(c *oauthreg.Client) error { c.Scopes = []string{"bad scope\""}; return nil }, oauthreg.ErrInvalidClientMetadata},
		"id":            {func(c *oauthreg.Client) error { c.ID = "other"; return nil }, oauthreg.ErrInvalidUpdate},
		"secrets":       {func(c *oauthreg.Client) error { c.Secrets = nil; return nil }, oauthreg.ErrInvalidUpdate},
		"secret expiry": {func(c *oauthreg.Client) error { c.Secrets[0].ExpiresAt = time.Now(); return nil }, oauthreg.ErrInvalidUpdate},
		"created":       {func(c *oauthreg.Client) error { c.CreatedAt = time.Now(); return nil }, oauthreg.ErrInvalidUpdate},
		"version":       {func(c *oauthreg.Client) error { c.Version = 99; return nil }, oauthreg.ErrInvalidUpdate},
		"fn error":      {func(c *oauthreg.Client) error { c.Name = "x"; return boom }, boom},
	} {
		if _, err := kit.Update(ctx, c.ID, tc.fn); !errors.Is(err, tc.want) {
			t.Errorf("%s: want %v, got %v", name, tc.want, err)
		}
	}
	after, _ := kit.Get(ctx, c.ID)
	if after.Version != 2 || after.Name != "renamed" {
		t.Fatalf("a failed update changed the client: %+v", after)
	}
	if _, err := kit.Update(ctx, "nope", func(*oauthreg.Client) error { return nil }); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("update of unknown client: %v", err)
	}
}

// conflictOnce makes the first UpdateClient of a client fail with
// ErrConflict after another writer changed it, as happens when two
// processes share a store.
type conflictOnce struct {
	oauthreg.Store
	fired bool
}

func (s *conflictOnce) UpdateClient(ctx context.Context, c *oauthreg.Client) error {
	if !s.fired {
		s.fired = true
		other, err := s.Store.GetClient(ctx, c.ID)
		if err != nil {
			return err
		}
		other.Description = "changed by someone else"
		if err := s.Store.UpdateClient(ctx, other); err != nil {
			return err
		}
	}
	return s.Store.UpdateClient(ctx, c)
}

func TestUpdateReappliesOnConflict(t *testing.T) {
	store := &conflictOnce{Store: memstore.New(), fired: true}
	reg, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := reg.Register(ctx, oauthreg.Client{Owner: "o"})
	if err != nil {
		t.Fatal(err)
	}
	store.fired = false
	calls := 0
	got, err := reg.Update(ctx, c.ID, func(c *oauthreg.Client) error { calls++; c.Name = "mine"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || got.Name != "mine" || got.Description != "changed by someone else" || got.Version != 3 {
		t.Fatalf("calls=%d client=%+v: the other writer's change was lost or fn not re-applied", calls, got)
	}
}

func TestDeleteAndList(t *testing.T) {
	kit := oauthregtest.New(t)
	var ids []string
	for i := range 5 {
		owner := "a"
		if i%2 == 1 {
			owner = "b"
		}
		c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Owner = owner })
		ids = append(ids, c.ID)
	}
	var listed []string
	q := oauthreg.ListQuery{Owner: "a", Limit: 2}
	for {
		page, err := kit.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Clients {
			listed = append(listed, c.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if want := []string{ids[0], ids[2], ids[4]}; len(listed) != 3 || listed[0] != want[0] || listed[1] != want[1] || listed[2] != want[2] {
		t.Fatalf("owner a listed %v, want %v (generated IDs sort by creation)", listed, want)
	}
	if err := kit.Delete(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := kit.Delete(ctx, ids[0]); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestUpdateNilFunc(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.Update(ctx, c.ID, nil); !errors.Is(err, oauthreg.ErrInvalidUpdate) {
		t.Fatalf("Update(nil): %v", err)
	}
}
