package oauthregfosite_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ory/fosite"

	"github.com/oauthreg/oauthreg"
	oauthregfosite "github.com/oauthreg/oauthreg/adapters/fosite"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestHasherCompare(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, secret := kit.ConfidentialClient(t)
	m := oauthregfosite.New(kit.Registry)
	fc, err := m.GetClient(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := m.Hasher()
	ref := fc.GetHashedSecret()

	if err := h.Compare(ctx, ref, []byte(secret.Reveal())); err != nil {
		t.Fatalf("right secret: %v", err)
	}
	for _, bad := range []string{secret.Reveal() + "x", "", "guess"} {
		if err := h.Compare(ctx, ref, []byte(bad)); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Errorf("secret %q: %v, want oauthreg.ErrInvalidCredentials", bad, err)
		}
	}
	// A reference to another client does not accept this client's secret.
	other, _ := kit.ConfidentialClient(t)
	if err := h.Compare(ctx, []byte("oauthreg:"+other.ID), []byte(secret.Reveal())); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("other client's reference: %v", err)
	}
	if err := h.Compare(ctx, []byte("oauthreg:"), []byte(secret.Reveal())); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("empty reference: %v", err)
	}

	// The stored hash itself is not something this Hasher verifies.
	if err := h.Compare(ctx, []byte(c.Secrets[0].Hash.Reveal()), []byte(secret.Reveal())); !errors.Is(err, oauthregfosite.ErrHashUnsupported) {
		t.Errorf("real hash without Fallback: %v", err)
	}
	if _, err := h.Hash(ctx, []byte("x")); !errors.Is(err, oauthregfosite.ErrHashUnsupported) {
		t.Errorf("Hash without Fallback: %v", err)
	}

	var zero oauthregfosite.Hasher
	if err := zero.Compare(ctx, ref, []byte(secret.Reveal())); err == nil {
		t.Error("zero Hasher accepted a secret")
	}
}

// A Fallback handles the hashes of clients fosite gets from another store.
func TestHasherFallback(t *testing.T) {
	ctx := context.Background()
	kit := oauthregtest.New(t)
	c, secret := kit.ConfidentialClient(t)
	h := &oauthregfosite.Hasher{Registry: kit.Registry, Fallback: &fosite.BCrypt{Config: &fosite.Config{HashCost: 4}}}

	hash, err := h.Hash(ctx, []byte("hydra-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Compare(ctx, hash, []byte("hydra-secret")); err != nil {
		t.Errorf("fallback hash: %v", err)
	}
	if err := h.Compare(ctx, hash, []byte("wrong")); err == nil {
		t.Error("fallback hash accepted a wrong secret")
	}
	if err := h.Compare(ctx, []byte("oauthreg:"+c.ID), []byte(secret.Reveal())); err != nil {
		t.Errorf("reference with a Fallback set: %v", err)
	}
}

func TestHasherStoreFailure(t *testing.T) {
	store := &flakyStore{Store: memstore.New()}
	reg, err := oauthreg.New(store)
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(context.Background(), oauthreg.Client{Scopes: []string{"read"}})
	if err != nil {
		t.Fatal(err)
	}
	store.failFrom.Store(1)
	err = oauthregfosite.New(reg).Hasher().Compare(context.Background(), []byte("oauthreg:"+c.ID), []byte(secret.Reveal()))
	if !errors.Is(err, fosite.ErrServerError) || !errors.Is(err, errStoreDown) || errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("store failure: %v; want fosite.ErrServerError wrapping the store's error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store.failFrom.Store(0)
	err = oauthregfosite.New(reg).Hasher().Compare(ctx, []byte("oauthreg:"+c.ID), []byte(secret.Reveal()))
	if !errors.Is(err, fosite.ErrServerError) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v; want a server error, not invalid credentials", err)
	}
}
