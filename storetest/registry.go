package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// testRegistry drives a Registry over the store: what users do, end to end,
// with a fake clock. A store that passes the store-level tests but breaks
// here has a behaviour the store-level tests missed.
func (s suite) testRegistry(t *testing.T) {
	s.run(t, "RotationLifecycle", testRotationLifecycle)
	s.run(t, "LastUsedWrites", testLastUsedWrites)
	s.run(t, "SealRevealReseal", testSealRevealReseal)
	s.run(t, "PurgeExpired", testPurgeExpired)
	s.run(t, "OrganizationSubtree", testOrganizationSubtree)
	s.run(t, "ConcurrentRotateUpdate", testConcurrentRotateUpdate)
	s.run(t, "NoPlaintextKeptAlive", testNoPlaintextKeptAlive)
	s.run(t, "RevokeLeaked", testRevokeLeaked)
	s.run(t, "RotateSecretTo", testRotateSecretTo)
	s.run(t, "ImportClients", testImportClients)
}

func newRegistry(t *testing.T, st oauthreg.Store, opts ...oauthreg.Option) (*oauthreg.Registry, *oauthregtest.Clock) {
	t.Helper()
	clock := oauthregtest.NewClock(BaseTime())
	reg, err := oauthreg.New(st, append([]oauthreg.Option{oauthreg.WithClock(clock.Now)}, opts...)...)
	if err != nil {
		t.Fatalf("oauthreg.New: %v", err)
	}
	return reg, clock
}

// authWorks reports whether secret authenticates clientID; any error other
// than ErrInvalidCredentials fails the test.
func authWorks(t *testing.T, reg *oauthreg.Registry, clientID string, secret oauthreg.PlainSecret) bool {
	t.Helper()
	_, err := reg.Authenticate(t.Context(), clientID, secret.Reveal())
	if err != nil && !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("Authenticate(%q): %v", clientID, err)
	}
	return err == nil
}

func mustRegister(t *testing.T, reg *oauthreg.Registry, c oauthreg.Client) (*oauthreg.Client, oauthreg.PlainSecret) {
	t.Helper()
	got, secret, err := reg.Register(t.Context(), c)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return got, secret
}

func testRotationLifecycle(t *testing.T, st oauthreg.Store) {
	reg, clock := newRegistry(t, st, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2}))
	ctx := t.Context()
	c, s1 := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
	clock.Advance(time.Minute)
	rotatedAt := clock.Now()
	s2, err := reg.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	if !authWorks(t, reg, c.ID, s1) || !authWorks(t, reg, c.ID, s2) {
		t.Fatal("after a rotation both secrets must work (grace period)")
	}
	clock.Set(rotatedAt.Add(time.Hour - time.Microsecond))
	if !authWorks(t, reg, c.ID, s1) {
		t.Fatal("old secret refused a microsecond before the grace period ends: expiry lost precision in the store?")
	}
	clock.Set(rotatedAt.Add(time.Hour))
	if authWorks(t, reg, c.ID, s1) {
		t.Fatal("old secret accepted at the end of the grace period")
	}
	s3, err := reg.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	s4, err := reg.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	if authWorks(t, reg, c.ID, s2) {
		t.Fatal("MaxActiveSecrets 2: the oldest secret must be revoked at once")
	}
	s5, err := reg.RegenerateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("RegenerateSecret: %v", err)
	}
	if authWorks(t, reg, c.ID, s3) || authWorks(t, reg, c.ID, s4) || !authWorks(t, reg, c.ID, s5) {
		t.Fatal("after RegenerateSecret only the new secret may work")
	}
	if err := reg.RevokeSecret(ctx, c.ID, s5.ID()); err != nil {
		t.Fatalf("RevokeSecret: %v", err)
	}
	if authWorks(t, reg, c.ID, s5) {
		t.Fatal("revoked secret accepted")
	}
	got, err := reg.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Secrets) != 5 || got.Version != 6 {
		t.Fatalf("after 4 changes: %d secrets, version %d; want 5 and 6", len(got.Secrets), got.Version)
	}
	for i, want := range []string{s1.ID(), s2.ID(), s3.ID(), s4.ID(), s5.ID()} {
		if got.Secrets[i].ID != want {
			t.Fatalf("secret %d is %q, want %q: the store must keep the order of Secrets", i, got.Secrets[i].ID, want)
		}
	}
}

// countingStore counts TouchClient calls.
type countingStore struct {
	oauthreg.Store
	touches atomic.Int64
}

func (c *countingStore) TouchClient(ctx context.Context, clientID, secretID string, at time.Time) error {
	c.touches.Add(1)
	return c.Store.TouchClient(ctx, clientID, secretID, at)
}

func testLastUsedWrites(t *testing.T, st oauthreg.Store) {
	counting := &countingStore{Store: st}
	reg, clock := newRegistry(t, counting)
	c, secret := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 250 {
				if _, err := reg.Authenticate(t.Context(), c.ID, secret.Reveal()); err != nil {
					t.Errorf("Authenticate: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := counting.touches.Load(); n != 1 {
		t.Fatalf("1,000 authentications within a minute wrote last-used %d times, want 1", n)
	}
	got, _ := reg.Get(t.Context(), c.ID)
	if !got.LastUsedAt.Equal(BaseTime()) || !got.Secrets[0].LastUsedAt.Equal(BaseTime()) {
		t.Fatalf("last used: client %v, secret %v; want %v", got.LastUsedAt, got.Secrets[0].LastUsedAt, BaseTime())
	}
	clock.Advance(time.Minute)
	for range 100 {
		authWorks(t, reg, c.ID, secret)
	}
	if n := counting.touches.Load(); n != 2 {
		t.Fatalf("a minute later: %d writes in all, want 2", n)
	}
	got, _ = reg.Get(t.Context(), c.ID)
	if !got.LastUsedAt.Equal(clock.Now()) {
		t.Fatalf("last used %v, want %v", got.LastUsedAt, clock.Now())
	}
}

func testSealRevealReseal(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	k1, _ := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	k2, _ := oauthreg.GenerateKey("k2", oauthreg.XChaCha20Poly1305)
	ring1, err := oauthreg.NewKeyRing(k1)
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := newRegistry(t, st, oauthreg.WithKeyRing(ring1))
	var secrets []oauthreg.PlainSecret
	var ids []string
	for range 3 {
		c, s := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
		ids = append(ids, c.ID)
		secrets = append(secrets, s)
	}
	for i, id := range ids {
		got, err := reg.RevealSecret(ctx, id, secrets[i].ID())
		if err != nil || got.Reveal() != secrets[i].Reveal() {
			t.Fatalf("RevealSecret: %v (match %v)", err, got.Reveal() == secrets[i].Reveal())
		}
	}
	// A new primary key; the old one stays to open what it sealed.
	ring2, err := oauthreg.NewKeyRing(k2, k1)
	if err != nil {
		t.Fatal(err)
	}
	reg2, _ := newRegistry(t, st, oauthreg.WithKeyRing(ring2))
	n, err := reg2.Reseal(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Reseal: %d, %v; want 3 secrets re-sealed", n, err)
	}
	if n, err := reg2.Reseal(ctx); err != nil || n != 0 {
		t.Fatalf("second Reseal: %d, %v; want 0 (resumable, idempotent)", n, err)
	}
	// Only k2 now: everything must still reveal and authenticate.
	ring3, _ := oauthreg.NewKeyRing(k2)
	reg3, _ := newRegistry(t, st, oauthreg.WithKeyRing(ring3))
	for i, id := range ids {
		got, err := reg3.RevealSecret(ctx, id, secrets[i].ID())
		if err != nil || got.Reveal() != secrets[i].Reveal() {
			t.Fatalf("after Reseal, RevealSecret with the new key only: %v", err)
		}
		if !authWorks(t, reg3, id, secrets[i]) {
			t.Fatal("secret refused after Reseal")
		}
	}
	// Tampered ciphertext is an error, never garbage.
	c, _ := st.GetClient(ctx, ids[0])
	sealed := []byte(c.Secrets[0].Sealed.Reveal())
	sealed[len(sealed)-3] ^= 1
	c.Secrets[0].Sealed = oauthreg.Conceal(string(sealed))
	if err := st.UpdateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := reg3.RevealSecret(ctx, ids[0], secrets[0].ID()); !errors.Is(err, oauthreg.ErrSealedSecret) {
		t.Fatalf("tampered sealed secret: %v, want ErrSealedSecret", err)
	}
	// Without a key ring: not retrievable.
	plain, _ := newRegistry(t, st)
	if _, err := plain.RevealSecret(ctx, ids[1], secrets[1].ID()); !errors.Is(err, oauthreg.ErrNotRetrievable) {
		t.Fatalf("RevealSecret without a key ring: %v", err)
	}
}

func testPurgeExpired(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	reg, clock := newRegistry(t, st, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour}))
	c, _ := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
	for range 3 {
		if _, err := reg.RotateSecret(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	other, _ := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
	clock.Advance(2 * time.Hour)
	if n, err := reg.PurgeExpired(ctx, 24*time.Hour); err != nil || n != 0 {
		t.Fatalf("PurgeExpired inside the retention: %d, %v; want 0", n, err)
	}
	clock.Advance(24 * time.Hour)
	n, err := reg.PurgeExpired(ctx, 24*time.Hour)
	if err != nil || n != 3 {
		t.Fatalf("PurgeExpired: %d, %v; want 3", n, err)
	}
	got, _ := reg.Get(ctx, c.ID)
	if len(got.Secrets) != 1 || !got.Secrets[0].ActiveAt(clock.Now()) {
		t.Fatalf("after purge: %d secrets; want only the active one", len(got.Secrets))
	}
	if o, _ := reg.Get(ctx, other.ID); len(o.Secrets) != 1 {
		t.Fatal("purge touched a client with nothing to purge")
	}
}

func testOrganizationSubtree(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	tree := oauthreg.MapOrgTree{"eu": "root", "de": "eu", "fr": "eu", "us": "root", "ny": "us"}
	reg, _ := newRegistry(t, st, oauthreg.WithOrgTree(tree))
	owners := map[string]int{}
	for i, owner := range []string{"root", "eu", "de", "fr", "us", "ny", "de", "ny"} {
		mustRegister(t, reg, oauthreg.Client{Owner: owner, Name: fmt.Sprint(i)})
		owners[owner]++
	}
	for org, want := range map[string]int{"root": 8, "eu": 4, "de": 2, "us": 3, "ny": 2, "fr": 1, "elsewhere": 0} {
		p := oauthreg.UserPrincipal("alice", org, oauthreg.RoleMember)
		got := 0
		seen := map[string]bool{}
		q := oauthreg.ListQuery{Limit: 1}
		for {
			page, err := reg.As(p).List(ctx, q)
			if err != nil {
				t.Fatalf("List as %s: %v", org, err)
			}
			for _, c := range page.Clients {
				if seen[c.ID] {
					t.Fatalf("List as %s: %s listed twice", org, c.ID)
				}
				seen[c.ID] = true
				got++
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
		if got != want {
			t.Errorf("List as a member of %s: %d clients, want %d (its own and its descendants')", org, got, want)
		}
	}
}

func testConcurrentRotateUpdate(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	reg, _ := newRegistry(t, st, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: oauthreg.MaxActiveSecretsCeiling}))
	c, first := mustRegister(t, reg, oauthreg.Client{Owner: "org"})
	// Half the workers rotate: with the first secret, exactly the ceiling
	// of active secrets, so none is evicted.
	const workers = 2 * (oauthreg.MaxActiveSecretsCeiling - 1)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		issued  = []oauthreg.PlainSecret{first}
		updates atomic.Int64
	)
	for g := range workers {
		wg.Go(func() {
			if g%2 == 0 {
				s, err := reg.RotateSecret(ctx, c.ID)
				if err != nil {
					t.Errorf("RotateSecret: %v", err)
					return
				}
				mu.Lock()
				issued = append(issued, s)
				mu.Unlock()
				return
			}
			_, err := reg.Update(ctx, c.ID, func(c *oauthreg.Client) error {
				c.UserTags = append(c.UserTags, fmt.Sprintf("w%d", g))
				return nil
			})
			if err != nil {
				t.Errorf("Update: %v", err)
				return
			}
			updates.Add(1)
		})
	}
	wg.Wait()
	got, err := reg.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(got.UserTags)) != updates.Load() {
		t.Fatalf("%d tags for %d updates: an update was lost", len(got.UserTags), updates.Load())
	}
	if len(got.Secrets) != len(issued) {
		t.Fatalf("%d secrets stored for %d issued: a rotation was lost", len(got.Secrets), len(issued))
	}
	if n := len(got.ActiveSecrets(BaseTime())); n != len(issued) {
		t.Fatalf("%d active secrets, want %d (all inside the grace period)", n, len(issued))
	}
	for _, s := range issued {
		if !authWorks(t, reg, c.ID, s) {
			t.Fatalf("secret %s refused", s.ID())
		}
	}
	// Exactly one secret is "newest": the only active one without a grace
	// expiry, and it is the last in the list.
	unexpiring := 0
	for _, s := range got.ActiveSecrets(BaseTime()) {
		if s.ExpiresAt.IsZero() {
			unexpiring++
		}
	}
	if newest, _ := got.NewestSecret(BaseTime()); unexpiring != 1 || !newest.ExpiresAt.IsZero() || newest.ID != got.Secrets[len(got.Secrets)-1].ID {
		t.Fatalf("%d active secrets without a grace expiry, want exactly 1 (the newest, last in the list)", unexpiring)
	}
	if want := int64(1 + len(issued) - 1 + int(updates.Load())); got.Version != want {
		t.Fatalf("version %d, want %d: one per committed change", got.Version, want)
	}
}
