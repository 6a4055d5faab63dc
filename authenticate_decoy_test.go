package oauthreg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
)

// TestUnknownClientDecoyNeverAuthenticates: memstore hands out another
// client's record as a decoy for an unknown ID (ClientViewer). In a store
// of one client the decoy is always that client; presenting its own right
// secret under an unknown ID must still fail as an unknown client, with
// nothing of the decoy in the event and nothing written to it.
func TestUnknownClientDecoyNeverAuthenticates(t *testing.T) {
	st := memstore.New()
	var events []oauthreg.Event
	reg, err := oauthreg.New(st, oauthreg.WithObserver(oauthreg.ObserverFunc(func(_ context.Context, e oauthreg.Event) {
		events = append(events, e)
	})))
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "the only client", Owner: "owner-1"})
	if err != nil {
		t.Fatal(err)
	}
	if view, err := st.ViewClient(ctx, "nobody"); !errors.Is(err, oauthreg.ErrNotFound) || view.ID() != c.ID {
		t.Fatalf("ViewClient(nobody) = a view of %q, %v; want the only client as a decoy and ErrNotFound", view.ID(), err)
	}
	for _, id := range []string{"nobody", c.ID + "x", "bad\x00id", ""} {
		events = nil
		if got, err := reg.Authenticate(ctx, id, secret.Reveal()); err != oauthreg.ErrInvalidCredentials || got != nil {
			t.Fatalf("Authenticate(%q, the decoy's own secret) = %v, %v; want nil, ErrInvalidCredentials", id, got, err)
		}
		if len(events) != 1 {
			t.Fatalf("Authenticate(%q): %d events, want 1", id, len(events))
		}
		e := events[0]
		if e.Type != oauthreg.EventAuthFailed || e.Reason != oauthreg.ReasonUnknownClient || e.Owner != "" || e.SecretID != "" {
			t.Errorf("Authenticate(%q): event %+v; want auth.failed, unknown_client, no owner or secret ID", id, e)
		}
	}
	stored, err := reg.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version != c.Version || !stored.LastUsedAt.IsZero() || !stored.Secrets[0].LastUsedAt.IsZero() {
		t.Errorf("the decoy was written to: version %d (was %d), last used %v / %v", stored.Version, c.Version, stored.LastUsedAt, stored.Secrets[0].LastUsedAt)
	}
}

// outageViewer is a ClientViewer that fails with an outage while handing
// out a view: the view must be ignored and the error reported as an
// outage, not as invalid credentials.
type outageViewer struct {
	*memstore.Store
	view oauthreg.ClientView
}

var errViewOutage = errors.New("store unreachable")

func (s *outageViewer) ViewClient(context.Context, string) (oauthreg.ClientView, error) {
	return s.view, errViewOutage
}

func TestViewWithOutageIsNotAuthenticated(t *testing.T) {
	inner := memstore.New()
	reg, err := oauthreg.New(inner)
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	view, err := inner.ViewClient(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	failing, err := oauthreg.New(&outageViewer{Store: inner, view: view})
	if err != nil {
		t.Fatal(err)
	}
	got, err := failing.Authenticate(ctx, c.ID, secret.Reveal())
	if got != nil || !errors.Is(err, errViewOutage) || errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("Authenticate through a failing viewer = %v, %v; want nil and the outage", got, err)
	}
}

// decoyWithoutErrorViewer is a ClientViewer with the bug the decoy
// contract invites: on a miss it hands out its decoy but forgets the
// ErrNotFound. The Registry must not authenticate a view of another ID.
type decoyWithoutErrorViewer struct{ *memstore.Store }

func (s decoyWithoutErrorViewer) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	v, err := s.Store.ViewClient(ctx, id)
	if errors.Is(err, oauthreg.ErrNotFound) && !v.IsZero() {
		return v, nil
	}
	return v, err
}

func TestViewOfAnotherIDIsNotAuthenticated(t *testing.T) {
	reg, err := oauthreg.New(decoyWithoutErrorViewer{memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	c, secret, err := reg.Register(ctx, oauthreg.Client{Name: "the only client"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := reg.Authenticate(ctx, "nobody", secret.Reveal()); err != oauthreg.ErrInvalidCredentials || got != nil {
		t.Errorf("Authenticate(nobody, %s's secret) through a viewer that returns the decoy without an error = %v, %v; want nil, ErrInvalidCredentials", c.ID, got, err)
	}
	if view, err := reg.AuthenticateView(ctx, "", "nobody", secret.Reveal()); err != oauthreg.ErrInvalidCredentials || !view.IsZero() {
		t.Errorf("AuthenticateView(nobody, %s's secret) = a view of %q, %v; want the zero view, ErrInvalidCredentials", c.ID, view.ID(), err)
	}
	if _, err := reg.Authenticate(ctx, c.ID, secret.Reveal()); err != nil {
		t.Errorf("Authenticate(%s) = %v", c.ID, err)
	}
}
