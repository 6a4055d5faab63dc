package oauthreg_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

type recorder struct {
	mu     sync.Mutex
	events []oauthreg.Event
}

func (r *recorder) Observe(_ context.Context, e oauthreg.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// take returns the events recorded since the last take.
func (r *recorder) take() []oauthreg.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

func types(es []oauthreg.Event) []oauthreg.EventType {
	var out []oauthreg.EventType
	for _, e := range es {
		out = append(out, e.Type)
	}
	return out
}

// TestEveryEventOnceInCommitOrder performs each operation and checks the
// events it reports: exactly the expected types, once each, in order, with
// actor, client, secret and time, and with no plaintext, hash or sealed
// value in any field or in the slog output.
func TestEveryEventOnceInCommitOrder(t *testing.T) {
	rec := &recorder{}
	var logs bytes.Buffer
	kit := oauthregtest.New(t,
		oauthreg.WithKeyRing(testKeyRing(t)),
		oauthreg.WithObserver(rec),
		oauthreg.WithObserver(oauthreg.SlogObserver(slog.New(slog.NewJSONHandler(&logs, nil)))),
		oauthreg.WithRotationPolicy(oauthreg.RotationPolicy{GracePeriod: time.Hour, MaxActiveSecrets: 3}),
		oauthreg.WithAccessPolicy(oauthreg.DefaultAccessPolicy{RevealRoles: []oauthreg.Role{oauthreg.RoleOrgOwner}}))
	admin := kit.As(oauthreg.UserPrincipal("alice", "org", oauthreg.RoleOrgOwner))
	var secrets []string // every plaintext, to look for later

	expect := func(step string, want ...oauthreg.EventType) []oauthreg.Event {
		t.Helper()
		got := rec.take()
		if fmt.Sprint(types(got)) != fmt.Sprint(want) {
			t.Fatalf("%s: events %v, want %v", step, types(got), want)
		}
		for _, e := range got {
			if e.Time.IsZero() || e.ClientID == "" {
				t.Fatalf("%s: event without time or client: %+v", step, e)
			}
		}
		return got
	}

	c, s1, err := admin.Register(ctx, oauthreg.Client{Name: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, s1.Reveal())
	es := expect("register", oauthreg.EventClientCreated, oauthreg.EventSecretIssued)
	if es[0].Actor != "alice@org" || es[1].SecretID != s1.ID() || es[0].Owner != "org" || es[0].Version != 1 {
		t.Fatalf("register events: %+v", es)
	}

	if _, err := admin.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Name = "svc2"; return nil }); err != nil {
		t.Fatal(err)
	}
	if es := expect("update", oauthreg.EventClientUpdated); es[0].Version != 2 {
		t.Fatalf("update event version %d", es[0].Version)
	}

	if _, err := kit.Authenticate(ctx, c.ID, s1.Reveal()); err != nil {
		t.Fatal(err)
	}
	expect("authenticate", oauthreg.EventAuthSucceeded)

	s2, err := admin.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, s2.Reveal())
	if es := expect("rotate", oauthreg.EventSecretRotated); es[0].SecretID != s2.ID() {
		t.Fatal("rotate event names the wrong secret")
	}

	kit.Authenticate(ctx, c.ID, s1.Reveal())
	if es := expect("old secret in grace", oauthreg.EventAuthSucceeded, oauthreg.EventGraceSecretUsed); es[1].SecretID != s1.ID() {
		t.Fatal("grace event names the wrong secret")
	}

	for name, tc := range map[string]struct {
		secret string
		reason oauthreg.FailureReason
		client string
	}{
		"unknown client": {s2.Reveal(), oauthreg.ReasonUnknownClient, "nope"},
		"malformed":      {s2.Reveal()[:20], oauthreg.ReasonUnknownSecret, c.ID},
		"wrong":          {oauthregtest.ForgeSameID(s2.Reveal()), oauthreg.ReasonWrongSecret, c.ID},
	} {
		if _, err := kit.Authenticate(ctx, tc.client, tc.secret); err == nil {
			t.Fatalf("%s authenticated", name)
		}
		if es := expect(name, oauthreg.EventAuthFailed); es[0].Reason != tc.reason {
			t.Fatalf("%s: reason %q, want %q", name, es[0].Reason, tc.reason)
		}
	}

	if err := admin.RevokeSecret(ctx, c.ID, s1.ID()); err != nil {
		t.Fatal(err)
	}
	expect("revoke", oauthreg.EventSecretRevoked)
	kit.Authenticate(ctx, c.ID, s1.Reveal())
	if es := expect("revoked", oauthreg.EventAuthFailed); es[0].Reason != oauthreg.ReasonRevoked {
		t.Fatalf("revoked secret: reason %q", es[0].Reason)
	}

	if _, err := admin.RevealSecret(ctx, c.ID, s2.ID()); err != nil {
		t.Fatal(err)
	}
	expect("reveal", oauthreg.EventSecretRevealed)

	const supplied = "a-secret-chosen-by-a-person"
	secrets = append(secrets, supplied)
	if _, err := admin.AddSecret(ctx, c.ID, supplied); err != nil {
		t.Fatal(err)
	}
	expect("add", oauthreg.EventSecretAdded)

	s3, err := admin.RegenerateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, s3.Reveal())
	expect("regenerate", oauthreg.EventSecretRegenerated)

	const imported = "imported-legacy-secret"
	secrets = append(secrets, imported)
	h, _ := bcrypt.GenerateFromPassword([]byte(imported), bcrypt.MinCost)
	if _, err := admin.ImportSecret(ctx, c.ID, string(h)); err != nil {
		t.Fatal(err)
	}
	expect("import", oauthreg.EventSecretImported)
	if _, err := kit.Authenticate(ctx, c.ID, imported); err != nil {
		t.Fatal(err)
	}
	// bcrypt → argon2id and sealed (it had no sealed copy), then the success.
	expect("first use of an import", oauthreg.EventSecretUpgraded, oauthreg.EventAuthSucceeded)
	kit.Authenticate(ctx, c.ID, s3.Reveal())
	expect("s3, older than the import but not phased out", oauthreg.EventAuthSucceeded)

	kit.Update(ctx, c.ID, func(c *oauthreg.Client) error { c.Disabled = true; return nil })
	rec.take()
	kit.Authenticate(ctx, c.ID, s3.Reveal())
	if es := expect("disabled", oauthreg.EventAuthFailed); es[0].Reason != oauthreg.ReasonDisabled {
		t.Fatalf("disabled: reason %q", es[0].Reason)
	}

	if err := admin.Delete(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	expect("delete", oauthreg.EventClientDeleted)

	// Nothing secret in the slog output.
	out := logs.String()
	stored, _ := json.Marshal(out)
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Fatalf("slog output holds a plaintext secret")
		}
	}
	for _, marker := range []string{"$sha256$", "$argon2id$", "$2a$", "v1."} {
		if strings.Contains(out, marker) {
			t.Fatalf("slog output holds a hash or sealed value (%q): %s", marker, stored)
		}
	}
	if !strings.Contains(out, `"reason":"wrong_secret"`) || !strings.Contains(out, `"level":"WARN"`) || !strings.Contains(out, `"actor":"alice@org"`) {
		t.Fatalf("slog output lacks the expected fields: %s", out)
	}
}

// An observer that panics or blocks cannot corrupt a change: the change is
// committed before observers run.
func TestObserverPanicDoesNotCorrupt(t *testing.T) {
	kit := oauthregtest.New(t, oauthreg.WithObserver(oauthreg.ObserverFunc(func(context.Context, oauthreg.Event) {
		panic("observer bug")
	})))
	c, s := kit.ConfidentialClient(t)
	next, err := kit.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatalf("a panicking observer failed the rotation: %v", err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, next.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.Authenticate(ctx, c.ID, s.Reveal()); err != nil {
		t.Fatal(err)
	}
	got, _ := kit.Get(ctx, c.ID)
	if got.Version != 2 || len(got.Secrets) != 2 {
		t.Fatalf("state after panicking observers: version %d, %d secrets", got.Version, len(got.Secrets))
	}
}

func TestSlowObserverSeesCommittedState(t *testing.T) {
	var kit *oauthregtest.Kit
	seen := make(chan int64, 1)
	kit = oauthregtest.New(t, oauthreg.WithObserver(oauthreg.ObserverFunc(func(ctx context.Context, e oauthreg.Event) {
		if e.Type != oauthreg.EventSecretRotated {
			return
		}
		time.Sleep(50 * time.Millisecond)
		c, _ := kit.Store.GetClient(ctx, e.ClientID)
		seen <- c.Version
	})))
	c, _ := kit.ConfidentialClient(t)
	if _, err := kit.RotateSecret(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if v := <-seen; v != 2 {
		t.Fatalf("observer ran before the commit: saw version %d", v)
	}
}

// A client that swaps its ID and secret must not get its secret logged.
func TestSwappedCredentialsAreNotLogged(t *testing.T) {
	var logs bytes.Buffer
	kit := oauthregtest.New(t, oauthreg.WithObserver(oauthreg.SlogObserver(slog.New(slog.NewTextHandler(&logs, nil)))))
	c, s := kit.ConfidentialClient(t)
	if _, err := kit.Authenticate(ctx, s.Reveal(), c.ID); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), s.Reveal()) || !strings.Contains(logs.String(), "client_id=[REDACTED]") {
		t.Fatalf("log: %s", logs.String())
	}
}
