package oauthreg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// TestShortLegacySecret: a legacy secret under the minimum is refused
// unless the caller opts in; then it is stored hashed, authenticates, and
// is reported with EventSecretShortLegacy.
func TestShortLegacySecret(t *testing.T) {
	ctx := context.Background()
	var events []oauthreg.Event
	kit := oauthregtest.New(t, oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: 1, MaxActiveSecrets: 10}), oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		events = append(events, e)
	})))
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.AddSecret(ctx, c.ID, "s3cret"); !errors.Is(err, oauthreg.ErrInvalidSecret) {
		t.Fatalf("a short secret without the opt-in: %v, want ErrInvalidSecret", err)
	}
	events = nil
	s, err := kit.AddSecret(ctx, c.ID, "s3cret", oauthreg.AllowShortLegacySecret())
	if err != nil {
		t.Fatal(err)
	}
	var warned bool
	for _, e := range events {
		if e.Type == oauthreg.EventSecretShortLegacy && e.ClientID == c.ID && e.SecretID == s.ID {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no %s event: %+v", oauthreg.EventSecretShortLegacy, events)
	}
	if _, err := kit.Authenticate(ctx, c.ID, "s3cret"); err != nil {
		t.Errorf("the legacy secret does not authenticate: %v", err)
	}
	// The opt-in lowers only the length floor.
	for _, bad := range []string{"", "tab\tsecret"} {
		if _, err := kit.AddSecret(ctx, c.ID, bad, oauthreg.AllowShortLegacySecret()); !errors.Is(err, oauthreg.ErrInvalidSecret) {
			t.Errorf("AddSecret(%q, AllowShortLegacySecret) = %v, want ErrInvalidSecret", bad, err)
		}
	}
	// Through Spring's {noop} too, and a long secret raises no warning.
	events = nil
	if _, err := kit.ImportSecret(ctx, c.ID, "{noop}pw", oauthreg.AllowShortLegacySecret()); err != nil {
		t.Errorf("{noop} short with the opt-in: %v", err)
	}
	if _, err := kit.AddSecret(ctx, c.ID, "a-long-enough-secret-value", oauthreg.AllowShortLegacySecret()); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Type == oauthreg.EventSecretShortLegacy {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d short-legacy events, want 1 (the {noop} one)", n)
	}
}
