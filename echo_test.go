package oauthreg_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// swappedIDs are the forms in which a client that swapped its ID and its
// secret (or pasted its secret into the wrong field) sends the secret as its
// client ID.
func swappedIDs(secret string) map[string]string {
	return map[string]string{
		"as is":            secret,
		"upper-cased":      strings.ToUpper(secret),
		"trailing space":   secret + " ",
		"trailing newline": secret + "\n",
		"double-quoted":    `"` + secret + `"`,
		"client: prefix":   "client:" + secret,
		"NUL after it":     secret + "\x00",
	}
}

// leaks reports whether text holds 32 consecutive characters of secret's
// body, in any case.
func leaks(text, secret string) bool {
	text, body := strings.ToLower(text), strings.ToLower(secret[len(oauthreg.DefaultSecretPrefix):])
	for i := 0; i+oauthreg.SecretShapedRun <= len(body); i++ {
		if strings.Contains(text, body[i:i+oauthreg.SecretShapedRun]) {
			return true
		}
	}
	return false
}

// quotingStore is a third-party store whose read errors quote the client ID
// raw, and whose database is down.
type quotingStore struct{ oauthreg.Store }

var errConnReset = errors.New("connection reset by peer")

func (quotingStore) GetClient(_ context.Context, id string) (*oauthreg.Client, error) {
	return nil, fmt.Errorf("mystore: reading client %q (raw: %s): %w", id, id, errConnReset)
}

// Authenticate's error for a store failure goes to a token endpoint's logs:
// it must not carry a secret sent as the client ID, whatever the store
// wrote, and must still wrap the store's error.
func TestAuthenticateStoreErrorDoesNotEchoSwappedSecret(t *testing.T) {
	kit := oauthregtest.New(t)
	_, s := kit.ConfidentialClient(t)
	reg, err := oauthreg.New(quotingStore{memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range swappedIDs(s.Reveal()) {
		_, err := reg.Authenticate(ctx, id, "client-1")
		if !errors.Is(err, errConnReset) || errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Fatalf("%s: store failure reported as %v", name, err)
		}
		if leaks(err.Error(), s.Reveal()) {
			t.Errorf("%s: Authenticate's error repeats the secret: %q", name, err)
		}
		if len(err.Error()) > 2048 {
			t.Errorf("%s: Authenticate's error is %d bytes", name, len(err.Error()))
		}
	}
	// A huge client ID is not echoed whole either.
	huge := strings.Repeat("x-", 1<<19)
	if _, err := reg.Authenticate(ctx, huge, "client-1"); err == nil || len(err.Error()) > 2048 {
		t.Errorf("a 1 MiB client ID gave an error of %d bytes", len(fmt.Sprint(err)))
	}
}

// The auth.failed event and its log line redact a secret sent as the
// client ID in every form a client may send it.
func TestAuthFailedEventRedactsSwappedSecret(t *testing.T) {
	var logs bytes.Buffer
	var events []oauthreg.Event
	kit := oauthregtest.New(t,
		oauthreg.WithObserver(oauthreg.SlogObserver(slog.New(slog.NewTextHandler(&logs, nil)))),
		oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) { events = append(events, e) })))
	c, s := kit.ConfidentialClient(t)
	for name, id := range swappedIDs(s.Reveal()) {
		events = events[:0]
		if _, err := kit.Authenticate(ctx, id, c.ID); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
			t.Fatalf("%s: %v", name, err)
		}
		if len(events) != 1 || events[0].Type != oauthreg.EventAuthFailed || events[0].ClientID != "[REDACTED]" {
			t.Errorf("%s: events %+v, want one auth.failed with client ID [REDACTED]", name, events)
		}
	}
	if leaks(logs.String(), s.Reveal()) {
		t.Errorf("the log repeats the secret:\n%s", logs.String())
	}
}

// Control characters in a presented client ID do not reach the log as
// such: a forged log line cannot be injected.
func TestAuthFailedEventEscapesClientID(t *testing.T) {
	var events []oauthreg.Event
	kit := oauthregtest.New(t, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) { events = append(events, e) })))
	_, _ = kit.Authenticate(ctx, "evil\nlevel=INFO msg=forged\x1b[2J", "not-a-secret")
	if len(events) != 1 || events[0].ClientID != "evil%0Alevel=INFO msg=forged%1B[2J" {
		t.Fatalf("events %+v", events)
	}
}
