package storetest

import (
	"context"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/oauthreg/oauthreg"
)

// testNoPlaintextKeptAlive: nothing the Registry hands to the store or to an
// observer, and nothing the store keeps, may be a substring of a plaintext
// secret. A Go substring keeps the whole plaintext's memory alive (and
// readable in a heap dump) as long as it lives, which for a stored
// Secret.ID or hint is the life of the client.
func testNoPlaintextKeptAlive(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	key, err := oauthreg.GenerateKey("k1", oauthreg.AES256GCM)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := oauthreg.NewKeyRing(key)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []oauthreg.Event
	reg, _ := newRegistry(t, st, oauthreg.WithKeyRing(ring),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 3}),
		oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		})))
	c, first := mustRegister(t, reg, oauthreg.Client{ID: "plain-memory", Owner: "org"})
	rotated, err := reg.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	plains := []string{first.Reveal(), rotated.Reveal()}
	var issued []string
	for _, p := range []oauthreg.PlainSecret{first, rotated} {
		issued = append(issued, p.ID())
	}
	supplied := string([]byte("a secret an administrator chose, 2024"))
	if _, err := reg.AddSecret(ctx, c.ID, supplied); err != nil {
		t.Fatal(err)
	}
	plains = append(plains, supplied)
	for _, p := range plains {
		// A successful authentication records what it used.
		if _, err := reg.Authenticate(ctx, c.ID, p); err != nil {
			t.Fatalf("a valid secret of %q did not authenticate: %v", c.ID, err)
		}
	}
	if _, ok := st.(oauthreg.SecretLocator); ok {
		// A leaked secret reported by its value alone.
		found, err := reg.RevokeLeaked(ctx, rotated.Reveal())
		if err != nil || !found.Revoked {
			t.Fatalf("RevokeLeaked: %+v, %v", found, err)
		}
		issued = append(issued, found.SecretID, found.ClientID)
	}
	stored := mustGet(t, st, c.ID)
	kept := append([]string{stored.ID}, issued...)
	for _, s := range stored.Secrets {
		kept = append(kept, s.ID, s.Hint, s.Hash.Reveal(), s.Sealed.Reveal(), s.Description)
	}
	mu.Lock()
	for _, e := range events {
		kept = append(kept, e.ClientID, e.SecretID, e.Owner)
	}
	mu.Unlock()
	for _, p := range plains {
		for _, k := range kept {
			if sharesMemory(k, p) {
				t.Errorf("%q is stored or reported as a substring of a plaintext secret: it keeps the plaintext in memory", k)
			}
		}
	}
}

// sharesMemory reports whether the bytes of a lie within those of b.
func sharesMemory(a, b string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))
	return pa >= pb && pa < pb+uintptr(len(b))
}
