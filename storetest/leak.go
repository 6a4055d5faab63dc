package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// eventLog collects a Registry's events.
type eventLog struct {
	mu     sync.Mutex
	events []oauthreg.Event
}

func (l *eventLog) observer() oauthreg.Option {
	return oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.events = append(l.events, e)
	}))
}

// take returns the event types seen since the last call.
func (l *eventLog) take() []oauthreg.EventType {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []oauthreg.EventType
	for _, e := range l.events {
		out = append(out, e.Type)
	}
	l.events = nil
	return out
}

// testRevokeLeaked: a secret reported alone is found through the store's
// secret index, verified, and revoked; anything else is refused alike.
func testRevokeLeaked(t *testing.T, st oauthreg.Store) {
	if _, ok := st.(oauthreg.SecretLocator); !ok {
		t.Skip("the store does not implement oauthreg.SecretLocator (optional)")
	}
	var log eventLog
	reg, clock := newRegistry(t, st, log.observer())
	ctx := t.Context()
	c, first := mustRegister(t, reg, oauthreg.Client{Name: "leaky", Owner: "org-leak"})
	other, otherSecret := mustRegister(t, reg, oauthreg.Client{Name: "bystander", Owner: "org-leak"})
	second, err := reg.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("RotateSecret: %v", err)
	}
	log.take()
	// A well-formed secret from another registry: an ID this store lacks.
	_, foreign := oauthregtest.New(t).ConfidentialClient(t)

	// Refusals: nothing found, nothing changed, one error.
	refused := map[string]string{
		"empty":                "",
		"not generated":        "correct horse battery staple",
		"bad checksum":         first.Reveal()[:len(first.Reveal())-1] + "x",
		"unknown secret ID":    foreign.Reveal(),
		"same ID, wrong value": oauthregtest.ForgeSameID(first.Reveal()),
		"oversized":            strings.Repeat("a", 100_000),
	}
	for name, v := range refused {
		if _, err := reg.RevokeLeaked(ctx, v); !errors.Is(err, oauthreg.ErrSecretNotRecognized) {
			t.Errorf("RevokeLeaked(%s) = %v, want ErrSecretNotRecognized", name, err)
		} else if strings.Contains(err.Error(), c.ID) || (len(v) > 20 && strings.Contains(err.Error(), v[:20])) {
			t.Errorf("RevokeLeaked(%s): error %q names the client or echoes the value", name, err)
		}
	}
	if ev := log.take(); len(ev) != 0 {
		t.Errorf("refused reports emitted %v", ev)
	}
	if !authWorks(t, reg, c.ID, first) || !authWorks(t, reg, c.ID, second) {
		t.Fatal("a refused report changed the client's secrets")
	}

	// The first secret, still in its grace period, reported alone.
	got, err := reg.RevokeLeaked(ctx, first.Reveal())
	if err != nil {
		t.Fatalf("RevokeLeaked(first secret): %v", err)
	}
	want := oauthreg.LeakedSecret{ClientID: c.ID, Owner: "org-leak", SecretID: first.ID(), Revoked: true}
	if got != want {
		t.Errorf("RevokeLeaked = %+v, want %+v", got, want)
	}
	if ev := log.take(); !slices.Contains(ev, oauthreg.EventSecretLeaked) || !slices.Contains(ev, oauthreg.EventSecretRevoked) {
		t.Errorf("RevokeLeaked emitted %v, want %s and %s", ev, oauthreg.EventSecretLeaked, oauthreg.EventSecretRevoked)
	}
	if authWorks(t, reg, c.ID, first) {
		t.Error("the reported secret still authenticates")
	}
	if !authWorks(t, reg, c.ID, second) || !authWorks(t, reg, other.ID, otherSecret) {
		t.Error("RevokeLeaked revoked more than the reported secret")
	}

	// Reported again: verified, nothing to write, not an error.
	log.take()
	before := mustGet(t, st, c.ID).Version
	got, err = reg.RevokeLeaked(ctx, first.Reveal())
	if err != nil || got.Revoked || got.ClientID != c.ID {
		t.Errorf("RevokeLeaked of a revoked secret = %+v, %v; want Revoked false, no error", got, err)
	}
	if v := mustGet(t, st, c.ID).Version; v != before {
		t.Errorf("reporting a revoked secret again wrote the client (version %d to %d)", before, v)
	}
	if ev := log.take(); !slices.Equal(ev, []oauthreg.EventType{oauthreg.EventSecretLeaked}) {
		t.Errorf("a repeated report emitted %v, want only %s", ev, oauthreg.EventSecretLeaked)
	}

	// An expired secret: verified, not written.
	clock.Advance(48 * time.Hour)
	third, err := reg.RotateSecret(ctx, c.ID, oauthreg.WithSecretLifetime(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if got, err := reg.RevokeLeaked(ctx, third.Reveal()); err != nil || got.Revoked {
		t.Errorf("RevokeLeaked of an expired secret = %+v, %v; want Revoked false, no error", got, err)
	}

	// A deleted client's secret is unknown.
	if err := reg.Delete(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.RevokeLeaked(ctx, otherSecret.Reveal()); !errors.Is(err, oauthreg.ErrSecretNotRecognized) {
		t.Errorf("RevokeLeaked of a deleted client's secret = %v, want ErrSecretNotRecognized", err)
	}
}

// testRotateSecretTo: a rotation to a chosen secret with a per-call grace.
func testRotateSecretTo(t *testing.T, st oauthreg.Store) {
	reg, clock := newRegistry(t, st, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 24 * time.Hour, MaxActiveSecrets: 3}))
	ctx := t.Context()
	c, old := mustRegister(t, reg, oauthreg.Client{Name: "cpn"})
	const chosen = "Chosen-Secret-0123456789"
	rec, err := reg.RotateSecretTo(ctx, c.ID, chosen, 10*time.Minute)
	if err != nil {
		t.Fatalf("RotateSecretTo: %v", err)
	}
	if rec.Kind != oauthreg.SecretSupplied || !strings.HasPrefix(rec.Hash.Reveal(), "$argon2id$") {
		t.Errorf("the chosen secret is stored as kind %q, hash %.12q; want supplied, argon2id", rec.Kind, rec.Hash.Reveal())
	}
	stored := mustGet(t, st, c.ID)
	for _, s := range stored.Secrets {
		if strings.Contains(s.Hash.Reveal(), chosen) || strings.Contains(s.Sealed.Reveal(), chosen) {
			t.Fatal("the chosen secret is stored in plaintext")
		}
	}
	if _, err := reg.Authenticate(ctx, c.ID, chosen); err != nil {
		t.Errorf("the chosen secret does not authenticate: %v", err)
	}
	clock.Advance(9 * time.Minute)
	if !authWorks(t, reg, c.ID, old) {
		t.Error("the old secret stopped before the 10-minute grace of the call")
	}
	clock.Advance(time.Minute)
	if authWorks(t, reg, c.ID, old) {
		t.Error("the old secret still works after the 10-minute grace (the policy's 24 h must not apply)")
	}

	// Zero grace: the previous secrets stop at once.
	if _, err := reg.RotateSecretTo(ctx, c.ID, "Another-Chosen-Secret-42", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Authenticate(ctx, c.ID, chosen); err == nil {
		t.Error("a zero-grace rotation left the previous secret working")
	}

	// Refused without a change: a negative grace, a short or generated-looking
	// value, a public client.
	v := mustGet(t, st, c.ID).Version
	for name, call := range map[string]func() error{
		"negative grace": func() error {
			_, err := reg.RotateSecretTo(ctx, c.ID, "Yet-Another-Secret-1", -time.Second)
			return err
		},
		"short":     func() error { _, err := reg.RotateSecretTo(ctx, c.ID, "short", time.Hour); return err },
		"generated": func() error { _, err := reg.RotateSecretTo(ctx, c.ID, old.Reveal(), time.Hour); return err },
	} {
		if err := call(); !errors.Is(err, oauthreg.ErrInvalidSecret) {
			t.Errorf("RotateSecretTo (%s) = %v, want ErrInvalidSecret", name, err)
		}
	}
	if got := mustGet(t, st, c.ID).Version; got != v {
		t.Errorf("refused rotations wrote the client (version %d to %d)", v, got)
	}
	pub, _ := mustRegister(t, reg, oauthreg.Client{Name: "spa", Public: true, RedirectURIs: []string{"https://spa.example/cb"}})
	if _, err := reg.RotateSecretTo(ctx, pub.ID, "Chosen-For-Public-1", time.Hour); !errors.Is(err, oauthreg.ErrSecretsNotUsed) {
		t.Errorf("RotateSecretTo on a public client = %v, want ErrSecretsNotUsed", err)
	}
}
