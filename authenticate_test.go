package oauthreg_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestAuthenticateFailuresLookAlike(t *testing.T) {
	kit := oauthregtest.New(t)
	c, secret := kit.ConfidentialClient(t)
	disabled, dsecret := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.Disabled = true })
	revoked, rsecret := kit.ConfidentialClient(t)
	if _, err := kit.RegenerateSecret(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	public := kit.PublicClient(t)
	other, osecret := kit.ConfidentialClient(t)
	_ = other

	good := secret.Reveal()
	typo := good[:len(good)-1] + string("abcdefghijklmnopqrstuvwxyz234567"[(strings.IndexByte("abcdefghijklmnopqrstuvwxyz234567", good[len(good)-1])+1)%32])
	for name, tc := range map[string][2]string{
		"unknown client":             {"no-such-client", good},
		"typo in secret":             {c.ID, typo},
		"another client's secret":    {c.ID, osecret.Reveal()},
		"not a generated secret":     {c.ID, "correct horse battery staple"},
		"empty secret":               {c.ID, ""},
		"empty client":               {"", good},
		"huge secret":                {c.ID, strings.Repeat("a", 5000)},
		"disabled client":            {disabled.ID, dsecret.Reveal()},
		"revoked secret":             {revoked.ID, rsecret.Reveal()},
		"public client":              {public.ID, good},
		"right secret, wrong client": {public.ID, secret.Reveal()},
	} {
		got, err := kit.Authenticate(ctx, tc[0], tc[1])
		if !errors.Is(err, oauthreg.ErrInvalidCredentials) || got != nil {
			t.Errorf("%s: got %v, %v; want nil, ErrInvalidCredentials", name, got, err)
		}
		if err != nil && err.Error() != oauthreg.ErrInvalidCredentials.Error() {
			t.Errorf("%s: error %q tells more than invalid credentials", name, err)
		}
	}
	got, err := kit.Authenticate(ctx, c.ID, good)
	if err != nil || got.ID != c.ID || !got.HasScope("read") {
		t.Fatalf("right secret: %v %+v", err, got)
	}
}

func TestAuthenticateExpiredSecret(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{SecretLifetime: time.Hour}))
	c, s := kit.ConfidentialClient(t)
	kit.Clock.Advance(time.Hour - time.Microsecond)
	if _, err := kit.Authenticate(ctx, c.ID, s.Reveal()); err != nil {
		t.Fatal("secret refused before its expiry")
	}
	kit.Clock.Advance(time.Microsecond)
	if _, err := kit.Authenticate(ctx, c.ID, s.Reveal()); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatal("secret accepted at its expiry")
	}
}

// failingStore fails every read: a store outage must not look like bad
// credentials (a token endpoint answers it with a 5xx, not invalid_client).
type failingStore struct{ oauthreg.Store }

var errOutage = errors.New("database is down")

func (failingStore) GetClient(context.Context, string) (*oauthreg.Client, error) {
	return nil, errOutage
}

func TestAuthenticateStoreOutageIsNotInvalidCredentials(t *testing.T) {
	reg, _ := oauthreg.New(failingStore{memstore.New()})
	_, err := reg.Authenticate(ctx, "c", "correct horse battery staple")
	if !errors.Is(err, errOutage) || errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("store outage reported as %v", err)
	}
}

func TestAddSecretSupplied(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	const plain = "legacy-Secret-from-2019!"
	rec, err := kit.AddSecret(ctx, c.ID, plain, oauthreg.WithSecretDescription("migrated"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Kind != oauthreg.SecretSupplied || !strings.HasPrefix(rec.Hash.Reveal(), "$argon2id$") || strings.Contains(rec.Hash.Reveal(), plain) {
		t.Fatalf("supplied secret record: %+v", rec)
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
		t.Fatalf("supplied secret refused: %v", err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain+"x"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("wrong supplied secret: %v", err)
	}
	// Bad input is refused and changes nothing.
	before, _ := kit.Get(ctx, c.ID)
	generated, _ := kit.ConfidentialClient(t)
	_ = generated
	for name, p := range map[string]string{
		"short":     "short",
		"control":   "abcdefghijkl\n",
		"non-ascii": "abcdefghijklé",
		"long":      strings.Repeat("a", oauthreg.MaxSuppliedSecretLen+1),
	} {
		if _, err := kit.AddSecret(ctx, c.ID, p); !errors.Is(err, oauthreg.ErrInvalidSecret) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := kit.AddSecret(ctx, c.ID, "another-legacy-secret"); !errors.Is(err, oauthreg.ErrTooManySecrets) {
		t.Fatalf("third active secret with MaxActiveSecrets 2: %v", err)
	}
	after, _ := kit.Get(ctx, c.ID)
	if after.Version != before.Version {
		t.Fatal("a refused AddSecret changed the client")
	}
}

func TestImportSecretUpgradesHash(t *testing.T) {
	kit := oauthregtest.New(t)
	c, first := kit.ConfidentialClient(t)
	if err := kit.RevokeSecret(ctx, c.ID, first.ID()); err != nil {
		t.Fatal(err)
	}
	const plain = "hydra-client-secret-42"
	h, err := bcrypt.GenerateFromPassword([]byte(plain), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := kit.ImportSecret(ctx, c.ID, "{bcrypt}"+string(h))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Kind != oauthreg.SecretImported {
		t.Fatalf("kind %v", rec.Kind)
	}
	if _, err := kit.Authenticate(ctx, c.ID, "wrong-secret-value"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatal("wrong secret accepted")
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
		t.Fatalf("imported bcrypt secret refused: %v", err)
	}
	got, _ := kit.Get(ctx, c.ID)
	up, _ := got.Secret(rec.ID)
	if !strings.HasPrefix(up.Hash.Reveal(), "$argon2id$") {
		t.Fatalf("bcrypt hash not upgraded after a successful verification: %q", up.Hash)
	}
	if _, err := kit.Authenticate(ctx, c.ID, plain); err != nil {
		t.Fatalf("upgraded secret refused: %v", err)
	}
	if _, err := kit.ImportSecret(ctx, c.ID, "$md5$nope"); !errors.Is(err, oauthreg.ErrUnsupportedHash) {
		t.Fatalf("unsupported hash: %v", err)
	}
}

func TestPepperUpgrade(t *testing.T) {
	store := memstore.New()
	plain, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := plain.Register(ctx, oauthreg.Client{Owner: "o"})
	if err != nil {
		t.Fatal(err)
	}
	hashOf := func() string {
		got, _ := store.GetClient(ctx, c.ID)
		return got.Secrets[0].Hash.Reveal()
	}
	if !strings.HasPrefix(hashOf(), "$sha256$") {
		t.Fatalf("unpeppered hash: %q", hashOf())
	}
	key1, key2 := []byte("0123456789abcdef0123"), []byte("fedcba9876543210fedc")
	peppered, _ := oauthreg.New(store, oauthreg.WithPepper("k1", key1))
	if _, err := peppered.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if h := hashOf(); !strings.HasPrefix(h, "$sha256-keyed$k=k1$") {
		t.Fatalf("not upgraded to the pepper: %q", h)
	}
	// Changing the pepper: the old one retired, the next use moves to k2.
	rotated, _ := oauthreg.New(store, oauthreg.WithPepper("k2", key2), oauthreg.WithRetiredPepper("k1", key1))
	if _, err := rotated.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if h := hashOf(); !strings.HasPrefix(h, "$sha256-keyed$k=k2$") {
		t.Fatalf("not moved to the new pepper: %q", h)
	}
	// Without the pepper, the secret no longer verifies.
	if _, err := plain.Authenticate(ctx, c.ID, secret.Reveal()); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatal("peppered hash verified without the pepper")
	}
}

// An "$hmac-sha256$" hash, as releases before the keyed digest wrote under
// a pepper, still verifies, and is replaced by a "$sha256-keyed$" one on its
// first successful use; under a pepper the server lacks, it fails with
// unknown_pepper like any peppered hash.
func TestPepperUpgradeFromHMAC(t *testing.T) {
	store := memstore.New()
	key := []byte("0123456789abcdef0123")
	reg, err := oauthreg.New(store, oauthreg.WithPepper("k1", key))
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Owner: "o"})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := store.GetClient(ctx, c.ID)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret.Reveal()))
	old := "$hmac-sha256$k=k1$" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
	stored.Secrets[0].Hash = oauthreg.Conceal(old)
	if err := store.UpdateClient(ctx, stored); err != nil {
		t.Fatal(err)
	}
	hashOf := func() string {
		got, _ := store.GetClient(ctx, c.ID)
		return got.Secrets[0].Hash.Reveal()
	}

	if got := failureReasons(t, store, oauthreg.WithPepper("k2", []byte("fedcba9876543210fedc")))(c.ID, secret.Reveal()); got != oauthreg.ReasonUnknownPepper {
		t.Errorf("hmac hash under a missing pepper: reason %q, want %q", got, oauthreg.ReasonUnknownPepper)
	}
	if h := hashOf(); h != old {
		t.Fatalf("a failed authentication changed the hash to %q", h)
	}
	if _, err := reg.Authenticate(ctx, c.ID, oauthregtest.ForgeSameID(secret.Reveal())); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("wrong secret against an hmac hash: %v", err)
	}
	if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Fatalf("hmac hash no longer verifies: %v", err)
	}
	h := hashOf()
	if !strings.HasPrefix(h, "$sha256-keyed$k=k1$") {
		t.Fatalf("hmac hash not upgraded on use: %q", h)
	}
	if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil || hashOf() != h {
		t.Fatalf("after the upgrade: %v, hash %q (was %q)", err, hashOf(), h)
	}
}

// touchCounter counts last-used writes.
type touchCounter struct {
	oauthreg.Store
	touches atomic.Int64
}

func (s *touchCounter) TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error {
	s.touches.Add(1)
	return s.Store.TouchClient(ctx, clientID, secretID, at)
}

func TestLastUsedWrittenOncePerInterval(t *testing.T) {
	clock := oauthregtest.NewClock(oauthregtest.Epoch)
	store := &touchCounter{Store: memstore.New()}
	reg, _ := oauthreg.New(store, oauthreg.WithClock(clock.Now))
	c, secret, _ := reg.Register(ctx, oauthreg.Client{Owner: "o"})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1250 {
				if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := store.touches.Load(); n != 1 {
		t.Fatalf("10,000 authentications within a minute wrote last-used %d times, want 1", n)
	}
	got, _ := reg.Get(ctx, c.ID)
	if !got.LastUsedAt.Equal(oauthregtest.Epoch) || !got.Secrets[0].LastUsedAt.Equal(oauthregtest.Epoch) {
		t.Fatalf("last used not recorded: client %v secret %v", got.LastUsedAt, got.Secrets[0].LastUsedAt)
	}
	clock.Advance(59 * time.Second)
	reg.Authenticate(ctx, c.ID, secret.Reveal())
	clock.Advance(time.Second)
	reg.Authenticate(ctx, c.ID, secret.Reveal())
	reg.Authenticate(ctx, c.ID, secret.Reveal())
	if n := store.touches.Load(); n != 2 {
		t.Fatalf("after a minute: %d writes, want 2", n)
	}
}

// TestConcurrentAuthenticateRotateUpdate runs authentications, rotations and
// metadata updates of one client at once: no lost update, no panic, no race,
// and every secret issued during the run authenticates afterwards (all are
// inside the grace period).
func TestConcurrentAuthenticateRotateUpdate(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	c, first := kit.ConfidentialClient(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		issued  = []oauthreg.PlainSecret{first}
		updates atomic.Int64
	)
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				switch g % 3 {
				case 0:
					if i >= 3 {
						// 3 rotators x 3 rotations + the first secret:
						// the ceiling of active secrets, none evicted.
						continue
					}
					s, err := kit.RotateSecret(ctx, c.ID)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					issued = append(issued, s)
					mu.Unlock()
				case 1:
					_, err := kit.Update(ctx, c.ID, func(c *oauthreg.Client) error {
						c.UserTags = append(c.UserTags, "g"+string(rune('a'+g))+string(rune('a'+i)))
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
					updates.Add(1)
				default:
					if _, err := kit.Authenticate(ctx, c.ID, first.Reveal()); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	got, _ := kit.Get(ctx, c.ID)
	if int64(len(got.UserTags)) != updates.Load() {
		t.Fatalf("%d tags for %d updates: an update was lost", len(got.UserTags), updates.Load())
	}
	if len(got.Secrets) != len(issued) {
		t.Fatalf("%d secrets stored for %d issued: a rotation was lost", len(got.Secrets), len(issued))
	}
	for _, s := range issued {
		if _, err := kit.Authenticate(ctx, c.ID, s.Reveal()); err != nil {
			t.Fatalf("secret %s refused inside its grace period", s.ID())
		}
	}
	if want := int64(1 + len(issued) - 1 + int(updates.Load())); got.Version != want {
		t.Fatalf("version %d, want %d (one per committed change)", got.Version, want)
	}
}

func TestAuthenticateWithMethod(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(testKeyRing(t)))
	basic, bs := kit.ConfidentialClient(t)
	post, ps := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretPost })
	jwt, js := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretJWT })
	for _, tc := range []struct {
		method oauthreg.AuthMethod
		id     string
		secret oauthreg.PlainSecret
		ok     bool
	}{
		{oauthreg.AuthClientSecretBasic, basic.ID, bs, true},
		{oauthreg.AuthClientSecretPost, basic.ID, bs, false},
		{oauthreg.AuthClientSecretPost, post.ID, ps, true},
		{oauthreg.AuthClientSecretBasic, post.ID, ps, false},
		{oauthreg.AuthClientSecretBasic, jwt.ID, js, false},
		{oauthreg.AuthClientSecretPost, jwt.ID, js, false},
	} {
		_, err := kit.AuthenticateWith(ctx, tc.method, tc.id, tc.secret.Reveal())
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, oauthreg.ErrInvalidCredentials)) {
			t.Errorf("AuthenticateWith(%s, client registered for %s) = %v, want ok=%v", tc.method, map[string]string{basic.ID: "basic", post.ID: "post", jwt.ID: "jwt"}[tc.id], err, tc.ok)
		}
	}
	// Authenticate takes either password method, never a JWT client's secret as a password.
	if _, err := kit.Authenticate(ctx, post.ID, ps.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.Authenticate(ctx, jwt.ID, js.Reveal()); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("a client_secret_jwt client authenticated with its raw secret: %v", err)
	}
	if _, err := kit.AuthenticateWith(ctx, oauthreg.AuthClientSecretJWT, jwt.ID, js.Reveal()); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("AuthenticateWith(jwt): %v", err)
	}
}

func TestUpdateRestoresDefaultTTL(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.AccessTokenTTL = time.Hour })
	if c.Lifetimes.AccessToken != time.Hour {
		t.Fatalf("AccessTokenTTL not moved into Lifetimes: %+v", c.Lifetimes)
	}
	got, err := kit.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.AccessTokenTTL = 0; return nil })
	if err != nil || got.AccessTokenTTL != 0 || got.Lifetimes.AccessToken != 0 ||
		kit.EffectiveTokenLifetime(got, "", oauthreg.TokenAccess) != oauthreg.DefaultAccessTokenTTL {
		t.Fatalf("cleared TTL: %v %+v %v", got.AccessTokenTTL, got.Lifetimes, err)
	}
	got, err = kit.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Lifetimes.AccessToken = 5 * time.Minute; return nil })
	if err != nil || got.AccessTokenTTL != 5*time.Minute {
		t.Fatalf("the deprecated alias does not mirror Lifetimes: %v %v", got.AccessTokenTTL, err)
	}
}

// getCounter counts store reads.
type getCounter struct {
	oauthreg.Store
	gets atomic.Int64
}

func (s *getCounter) GetClient(ctx context.Context, id string) (*oauthreg.Client, error) {
	s.gets.Add(1)
	return s.Store.GetClient(ctx, id)
}

func TestGeneratedSecretsOnly(t *testing.T) {
	store := &getCounter{Store: memstore.New()}
	reg, err := oauthreg.New(store, oauthreg.WithGeneratedSecretsOnly())
	if err != nil {
		t.Fatal(err)
	}
	c, s, _ := reg.Register(ctx, oauthreg.Client{Owner: "o"})
	if _, err := reg.Authenticate(ctx, c.ID, s.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddSecret(ctx, c.ID, "a-supplied-secret-value"); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("AddSecret: %v", err)
	}
	if _, err := reg.ImportSecret(ctx, c.ID, "$2a$10$nVkFUbqjg3V/b8dm4LCCi.Un2GdDRpKdaOr3iFgQzcYGxVfQ1Jpkm"); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Fatalf("ImportSecret: %v", err)
	}
	// Garbage is refused before the store is read, for known and unknown
	// clients alike, so no decoy argon2 run follows a miss.
	before := store.gets.Load()
	for _, id := range []string{c.ID, "unknown"} {
		if _, err := reg.Authenticate(ctx, id, "not-a-generated-secret"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Fatal(err)
		}
	}
	if n := store.gets.Load() - before; n != 0 {
		t.Fatalf("garbage input read the store %d times", n)
	}
}

// An old secret still in use gets its last-used time even while the new one
// is used every minute: the throttle is per secret.
func TestLastUsedPerSecret(t *testing.T) {
	kit := oauthregtest.New(t)
	c, old := kit.ConfidentialClient(t)
	fresh, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for range 60 {
		if _, err := kit.Authenticate(ctx, c.ID, fresh.Reveal()); err != nil {
			t.Fatal(err)
		}
		kit.Clock.Advance(30 * time.Second)
		if _, err := kit.Authenticate(ctx, c.ID, old.Reveal()); err != nil {
			t.Fatal(err)
		}
		kit.Clock.Advance(30 * time.Second)
	}
	got, _ := kit.Get(ctx, c.ID)
	o, _ := got.Secret(old.ID())
	n, _ := got.Secret(fresh.ID())
	if o.LastUsedAt.IsZero() || n.LastUsedAt.IsZero() || kit.Clock.Now().Sub(o.LastUsedAt) > 2*time.Minute {
		t.Fatalf("last used: old %v, new %v (now %v)", o.LastUsedAt, n.LastUsedAt, kit.Clock.Now())
	}
}

func TestImportOfGeneratedHashIsRefused(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	other, _ := kit.ConfidentialClient(t)
	if _, err := kit.ImportSecret(ctx, c.ID, other.Secrets[0].Hash.Reveal()); !errors.Is(err, oauthreg.ErrUnsupportedHash) {
		t.Fatalf("importing a generated secret's hash: %v", err)
	}
}
