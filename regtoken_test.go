package oauthreg_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestRegistrationToken(t *testing.T) {
	var events []oauthreg.EventType
	kit := oauthregtest.New(t, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		events = append(events, e.Type)
	})))
	ctx := t.Context()
	var token oauthreg.PlainSecret
	c, secret, err := kit.Register(ctx, oauthreg.Client{Name: "dyn", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}},
		oauthreg.WithRegistrationToken(&token))
	if err != nil {
		t.Fatal(err)
	}
	if token.IsZero() || token.Reveal() == secret.Reveal() {
		t.Fatal("no registration access token, or the client secret")
	}
	if !strings.HasPrefix(c.RegistrationTokenHash, "$sha256$") || strings.Contains(c.RegistrationTokenHash, token.Reveal()) {
		t.Errorf("RegistrationTokenHash = %q, want a generated secret's hash", c.RegistrationTokenHash)
	}
	if b, _ := json.Marshal(c); strings.Contains(string(b), c.RegistrationTokenHash) {
		t.Error("the token's hash is in the client's JSON")
	}
	if got, err := kit.CheckRegistrationToken(ctx, c.ID, token.Reveal()); err != nil || got.ID != c.ID {
		t.Fatalf("CheckRegistrationToken = %v, %v", got, err)
	}
	other, _ := kit.ConfidentialClient(t)
	for what, call := range map[string][2]string{
		"forged":              {c.ID, oauthregtest.ForgeSameID(token.Reveal())},
		"client secret":       {c.ID, secret.Reveal()},
		"another client":      {other.ID, token.Reveal()},
		"unknown client":      {"no-such-client", token.Reveal()},
		"empty":               {c.ID, ""},
		"garbage":             {c.ID, "not a token"},
		"oversized client ID": {strings.Repeat("c", 300), token.Reveal()},
	} {
		if _, err := kit.CheckRegistrationToken(ctx, call[0], call[1]); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Errorf("%s: CheckRegistrationToken = %v, want ErrInvalidCredentials", what, err)
		}
	}
	if _, err := kit.Authenticate(ctx, c.ID, token.Reveal()); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Errorf("the registration access token authenticates as a client secret: %v", err)
	}

	fresh, err := kit.RotateRegistrationToken(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kit.CheckRegistrationToken(ctx, c.ID, token.Reveal()); err == nil {
		t.Error("the old token works after a rotation")
	}
	if _, err := kit.CheckRegistrationToken(ctx, c.ID, fresh.Reveal()); err != nil {
		t.Errorf("the new token: %v", err)
	}
	if _, err := kit.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.RegistrationTokenHash = "$sha256$x"; return nil }); !errors.Is(err, oauthreg.ErrInvalidUpdate) {
		t.Errorf("Update of the token hash: %v, want ErrInvalidUpdate", err)
	}
	if _, err := kit.RotateSecret(ctx, c.ID, oauthreg.WithRegistrationToken(&token)); !errors.Is(err, oauthreg.ErrInvalidConfig) {
		t.Errorf("WithRegistrationToken on RotateSecret: %v, want ErrInvalidConfig", err)
	}
	if _, _, err := kit.Register(ctx, oauthreg.Client{Name: "x", RegistrationTokenHash: "$sha256$x"}); !errors.Is(err, oauthreg.ErrInvalidUpdate) {
		t.Errorf("Register with a token hash: %v, want ErrInvalidUpdate", err)
	}
	n := 0
	for _, e := range events {
		if e == oauthreg.EventRegistrationTokenIssued {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d registration_token.issued events, want 2 (register, rotate): %v", n, events)
	}
}
