package oauthreg_test

import (
	"errors"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// authOK reports whether secret authenticates client id now.
func authOK(t *testing.T, kit *oauthregtest.Kit, id string, secret oauthreg.PlainSecret) bool {
	t.Helper()
	_, err := kit.Authenticate(ctx, id, secret.Reveal())
	if err != nil && !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("Authenticate: unexpected error %v", err)
	}
	return err == nil
}

func TestRotateGracePeriodEdges(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 3}))
	c, old := kit.ConfidentialClient(t)
	kit.Clock.Advance(time.Minute)
	rotatedAt := kit.Clock.Now()
	fresh, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ID() == old.ID() || !fresh.ExpiresAt().IsZero() {
		t.Fatalf("new secret: id %q expires %v", fresh.ID(), fresh.ExpiresAt())
	}
	got, _ := kit.Get(ctx, c.ID)
	if s, _ := got.Secret(old.ID()); !s.ExpiresAt.Equal(rotatedAt.Add(time.Hour)) {
		t.Fatalf("old secret expires at %v, want rotation time + grace %v", s.ExpiresAt, rotatedAt.Add(time.Hour))
	}
	if !authOK(t, kit, c.ID, old) || !authOK(t, kit, c.ID, fresh) {
		t.Fatal("both secrets must work right after a rotation")
	}
	kit.Clock.Set(rotatedAt.Add(time.Hour - time.Microsecond))
	if !authOK(t, kit, c.ID, old) {
		t.Fatal("old secret refused just before the grace period ends")
	}
	kit.Clock.Set(rotatedAt.Add(time.Hour))
	if authOK(t, kit, c.ID, old) {
		t.Fatal("old secret accepted exactly at the end of the grace period")
	}
	if !authOK(t, kit, c.ID, fresh) {
		t.Fatal("new secret refused after the grace period")
	}
}

func TestRotateKeepsEarlierExpiry(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 48 * time.Hour, SecretLifetime: 24 * time.Hour}))
	c, old := kit.ConfidentialClient(t)
	if want := oauthregtest.Epoch.Add(24 * time.Hour); !old.ExpiresAt().Equal(want) {
		t.Fatalf("lifetime: secret expires %v, want %v", old.ExpiresAt(), want)
	}
	if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := kit.Get(ctx, c.ID)
	if s, _ := got.Secret(old.ID()); !s.ExpiresAt.Equal(oauthregtest.Epoch.Add(24 * time.Hour)) {
		t.Fatalf("rotation extended an expiry to %v", s.ExpiresAt)
	}
	kit.Clock.Advance(24 * time.Hour)
	if authOK(t, kit, c.ID, old) {
		t.Fatal("secret accepted at the end of its lifetime")
	}
}

func TestRotateZeroGraceInvalidatesAtOnce(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{}))
	c, old := kit.ConfidentialClient(t)
	fresh, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if authOK(t, kit, c.ID, old) || !authOK(t, kit, c.ID, fresh) {
		t.Fatal("zero grace: old must fail, new must work")
	}
}

func TestMaxActiveSecretsEvictsOldest(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2}))
	c, s1 := kit.ConfidentialClient(t)
	s2, _ := kit.RotateSecret(ctx, c.ID)
	s3, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if authOK(t, kit, c.ID, s1) {
		t.Fatal("oldest secret still active beyond MaxActiveSecrets")
	}
	if !authOK(t, kit, c.ID, s2) || !authOK(t, kit, c.ID, s3) {
		t.Fatal("the two newest secrets must work")
	}
	got, _ := kit.Get(ctx, c.ID)
	if s, _ := got.Secret(s1.ID()); s.RevokedAt.IsZero() || s.State(kit.Clock.Now()) != "revoked" {
		t.Fatalf("evicted secret not marked revoked: %+v", s)
	}
	if n := len(got.ActiveSecrets(kit.Clock.Now())); n != 2 {
		t.Fatalf("%d active secrets, want 2", n)
	}
}

func TestRegenerateAfterRotate(t *testing.T) {
	kit := oauthregtest.New(t)
	c, s1 := kit.ConfidentialClient(t)
	s2, _ := kit.RotateSecret(ctx, c.ID)
	s3, err := kit.RegenerateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if authOK(t, kit, c.ID, s1) || authOK(t, kit, c.ID, s2) {
		t.Fatal("regenerate must invalidate every other secret at once, including one in its grace period")
	}
	if !authOK(t, kit, c.ID, s3) {
		t.Fatal("regenerated secret refused")
	}
	got, _ := kit.Get(ctx, c.ID)
	if active := got.ActiveSecrets(kit.Clock.Now()); len(active) != 1 || active[0].ID != s3.ID() {
		t.Fatalf("active after regenerate: %+v", active)
	}
	if newest, ok := got.NewestSecret(kit.Clock.Now()); !ok || newest.ID != s3.ID() {
		t.Fatal("NewestSecret is not the regenerated one")
	}
}

func TestRevokeSecret(t *testing.T) {
	kit := oauthregtest.New(t)
	c, s1 := kit.ConfidentialClient(t)
	s2, _ := kit.RotateSecret(ctx, c.ID)
	if err := kit.RevokeSecret(ctx, c.ID, s1.ID()); err != nil {
		t.Fatal(err)
	}
	if authOK(t, kit, c.ID, s1) || !authOK(t, kit, c.ID, s2) {
		t.Fatal("revoke must invalidate exactly one secret")
	}
	before, _ := kit.Get(ctx, c.ID)
	if err := kit.RevokeSecret(ctx, c.ID, s1.ID()); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	if after, _ := kit.Get(ctx, c.ID); after.Version != before.Version {
		t.Fatal("revoking a revoked secret wrote the client again")
	}
	if err := kit.RevokeSecret(ctx, c.ID, "nope"); !errors.Is(err, oauthreg.ErrSecretNotFound) {
		t.Fatalf("unknown secret: %v", err)
	}
	if err := kit.RevokeSecret(ctx, "nope", s2.ID()); !errors.Is(err, oauthreg.ErrNotFound) {
		t.Fatalf("unknown client: %v", err)
	}
}

func TestPerClientPolicyOverride(t *testing.T) {
	kit := oauthregtest.New(t)
	c, old := kit.ConfidentialClient(t, func(c *oauthreg.Client) {
		c.RotationPolicy = &oauthreg.RotationPolicy{GracePeriod: 10 * time.Minute, OwnerOnlyRotation: true}
	})
	if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	kit.Clock.Advance(10 * time.Minute)
	if authOK(t, kit, c.ID, old) {
		t.Fatal("client's own 10 minute grace period not applied")
	}
	got, _ := kit.Get(ctx, c.ID)
	if got.RotationPolicy == nil || !got.RotationPolicy.OwnerOnlyRotation {
		t.Fatal("OwnerOnlyRotation not stored")
	}
}

func TestExplicitSecretExpiry(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithSecretExpiry(kit.Clock.Now())); !errors.Is(err, oauthreg.ErrInvalidSecret) {
		t.Fatalf("expiry in the past accepted: %v", err)
	}
	at := kit.Clock.Now().Add(72 * time.Hour)
	s, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithSecretExpiry(at), oauthreg.WithSecretDescription("ci deploy"))
	if err != nil || !s.ExpiresAt().Equal(at) {
		t.Fatalf("explicit expiry: %v %v", err, s.ExpiresAt())
	}
	got, _ := kit.Get(ctx, c.ID)
	if rec, _ := got.Secret(s.ID()); rec.Description != "ci deploy" {
		t.Fatalf("description not stored: %+v", rec)
	}
}

func TestExpiringSecrets(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, SecretLifetime: 30 * 24 * time.Hour, MaxActiveSecrets: 2}))
	a, _ := kit.ConfidentialClient(t)
	kit.Clock.Advance(10 * 24 * time.Hour)
	b, _ := kit.ConfidentialClient(t)
	list, err := kit.ExpiringSecrets(ctx, 21*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ClientID != a.ID {
		t.Fatalf("within 21 days: %+v", list)
	}
	list, _ = kit.ExpiringSecrets(ctx, 31*24*time.Hour)
	if len(list) != 2 || list[0].ClientID != a.ID || list[1].ClientID != b.ID {
		t.Fatalf("within 31 days, soonest first: %+v", list)
	}
	if _, err := kit.RegenerateSecret(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	list, _ = kit.ExpiringSecrets(ctx, 21*24*time.Hour)
	if len(list) != 0 {
		t.Fatalf("a revoked secret is listed as expiring: %+v", list)
	}
}

func TestSecretLifetimeOption(t *testing.T) {
	kit := oauthregtest.New(t)
	c, _ := kit.ConfidentialClient(t)
	s, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithSecretLifetime(48*time.Hour))
	if err != nil || !s.ExpiresAt().Equal(kit.Clock.Now().Add(48*time.Hour)) {
		t.Fatalf("lifetime by the registry's clock: %v %v", s.ExpiresAt(), err)
	}
	if _, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithSecretLifetime(-time.Hour)); !errors.Is(err, oauthreg.ErrInvalidSecret) {
		t.Fatalf("negative lifetime: %v", err)
	}
}

// A client rotated many times and never purged keeps at most
// MaxStoredSecrets records; only dead ones are dropped, oldest first.
func TestStoredSecretsAreBounded(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 2}))
	c, _ := kit.ConfidentialClient(t)
	var last oauthreg.PlainSecret
	for range oauthreg.MaxStoredSecrets + 20 {
		s, err := kit.RotateSecret(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		last = s
	}
	got, _ := kit.Get(ctx, c.ID)
	if len(got.Secrets) != oauthreg.MaxStoredSecrets {
		t.Fatalf("%d secret records, want %d", len(got.Secrets), oauthreg.MaxStoredSecrets)
	}
	if n := len(got.ActiveSecrets(kit.Clock.Now())); n != 2 || got.Secrets[len(got.Secrets)-1].ID != last.ID() {
		t.Fatalf("%d active after pruning, newest %q; want 2 and the last issued", n, got.Secrets[len(got.Secrets)-1].ID)
	}
}
