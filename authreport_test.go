package oauthreg_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// TestReportAuthenticationSuccess: a reported success emits
// EventAuthSucceeded with the method, and records the last-used time once
// per interval, on the client for a keyless method and on the secret for
// client_secret_jwt.
func TestReportAuthenticationSuccess(t *testing.T) {
	rec := &recorder{}
	kit := oauthregtest.New(t, oauthreg.WithObserver(rec), oauthreg.WithLastUsedInterval(time.Minute))
	ctx := context.Background()
	c, secret := kit.ConfidentialClient(t)
	rec.take()

	kit.ReportAuthentication(ctx, oauthreg.AuthReport{Method: oauthreg.AuthPrivateKeyJWT, ClientID: c.ID, Client: c})
	es := rec.take()
	if len(es) != 1 || es[0].Type != oauthreg.EventAuthSucceeded || es[0].Method != oauthreg.AuthPrivateKeyJWT || es[0].ClientID != c.ID || es[0].Owner != c.Owner {
		t.Fatalf("events = %+v, want one auth.succeeded for %s by private_key_jwt", es, c.ID)
	}
	got, err := kit.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastUsedAt.Equal(kit.Clock.Now()) {
		t.Errorf("client LastUsedAt = %v, want %v", got.LastUsedAt, kit.Clock.Now())
	}

	kit.Clock.Advance(2 * time.Minute)
	kit.ReportAuthentication(ctx, oauthreg.AuthReport{Method: oauthreg.AuthClientSecretJWT, ClientID: c.ID, Client: got, SecretID: secret.ID()})
	got, err = kit.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := got.Secret(secret.ID())
	if !s.LastUsedAt.Equal(kit.Clock.Now()) {
		t.Errorf("secret LastUsedAt = %v, want %v", s.LastUsedAt, kit.Clock.Now())
	}
	if es := rec.take(); len(es) != 1 || es[0].SecretID != secret.ID() || es[0].Method != oauthreg.AuthClientSecretJWT {
		t.Errorf("events = %+v, want one success naming secret %s", es, secret.ID())
	}
}

// TestReportAuthenticationFailure: a failure emits EventAuthFailed with the
// reason; a presented client ID shaped like a secret is redacted; a
// "success" without a client is reported as a failure.
func TestReportAuthenticationFailure(t *testing.T) {
	rec := &recorder{}
	kit := oauthregtest.New(t, oauthreg.WithObserver(rec))
	ctx := context.Background()
	_, secret := kit.ConfidentialClient(t)
	rec.take()

	kit.ReportAuthentication(ctx, oauthreg.AuthReport{Method: oauthreg.AuthPrivateKeyJWT, ClientID: secret.Reveal(), Reason: "bad_signature"})
	kit.ReportAuthentication(ctx, oauthreg.AuthReport{Method: oauthreg.AuthTLSClient, ClientID: "nobody"})
	es := rec.take()
	if len(es) != 2 {
		t.Fatalf("events = %+v, want 2", es)
	}
	if es[0].Type != oauthreg.EventAuthFailed || es[0].Reason != "bad_signature" || es[0].ClientID == secret.Reveal() {
		t.Errorf("event = %+v, want auth.failed, reason bad_signature, client ID redacted", es[0])
	}
	if es[1].Type != oauthreg.EventAuthFailed || es[1].Reason != oauthreg.ReasonUnknownClient || es[1].ClientID != "nobody" {
		t.Errorf("event = %+v, want auth.failed unknown_client for nobody", es[1])
	}
}

// TestVerifyWithSecretKeys: the verify function sees the plaintext of the
// active sealed secrets, newest first, and the buffer is zeroed after; a
// revoked secret is never offered; without a key ring the call fails.
func TestVerifyWithSecretKeys(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithKeyRing(testKeyRing(t)),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 3}))
	ctx := context.Background()
	c, first := kit.ConfidentialClient(t, func(c *oauthreg.Client) { c.TokenEndpointAuthMethod = oauthreg.AuthClientSecretJWT })
	second, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = kit.Get(ctx, c.ID)

	var seen []string
	var kept []byte
	id, ok, err := kit.VerifyWithSecretKeys(c, func(key []byte) bool {
		seen = append(seen, string(key))
		kept = key
		return string(key) == first.Reveal()
	})
	if err != nil || !ok || id != first.ID() {
		t.Fatalf("VerifyWithSecretKeys = %q, %v, %v; want %q, true, nil", id, ok, err, first.ID())
	}
	if len(seen) != 2 || seen[0] != second.Reveal() || seen[1] != first.Reveal() {
		t.Errorf("verify saw %d keys, want the newest secret then the older one", len(seen))
	}
	for _, b := range kept {
		if b != 0 {
			t.Fatal("the key buffer was not zeroed after verify returned")
		}
	}

	if err := kit.RevokeSecret(ctx, c.ID, first.ID()); err != nil {
		t.Fatal(err)
	}
	c, _ = kit.Get(ctx, c.ID)
	_, ok, err = kit.VerifyWithSecretKeys(c, func(key []byte) bool { return string(key) == first.Reveal() })
	if err != nil || ok {
		t.Errorf("a revoked secret verified: ok=%v err=%v", ok, err)
	}

	plain := oauthregtest.New(t)
	_, _, err = plain.VerifyWithSecretKeys(c, func([]byte) bool { return true })
	if !errors.Is(err, oauthreg.ErrNotRetrievable) {
		t.Errorf("without a key ring: err = %v, want ErrNotRetrievable", err)
	}
}
