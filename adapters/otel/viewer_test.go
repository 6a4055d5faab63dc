package oauthregotel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oauthreg/oauthreg"
	oauthregotel "github.com/oauthreg/oauthreg/adapters/otel"
	"github.com/oauthreg/oauthreg/memstore"
)

// subsetStore returns a Store that has, of memstore's optional interfaces,
// exactly those whose bit is set in mask: VersionedDeleter 8, BatchCreator
// 4, SecretLocator 2, ClientViewer 1.
func subsetStore(m *memstore.Store, mask int) oauthreg.Store {
	type (
		S = oauthreg.Store
		V = oauthreg.VersionedDeleter
		B = oauthreg.BatchCreator
		L = oauthreg.SecretLocator
		W = oauthreg.ClientViewer
	)
	switch mask {
	case 0b0000:
		return struct{ S }{m}
	case 0b0001:
		return struct {
			S
			W
		}{m, m}
	case 0b0010:
		return struct {
			S
			L
		}{m, m}
	case 0b0011:
		return struct {
			S
			L
			W
		}{m, m, m}
	case 0b0100:
		return struct {
			S
			B
		}{m, m}
	case 0b0101:
		return struct {
			S
			B
			W
		}{m, m, m}
	case 0b0110:
		return struct {
			S
			B
			L
		}{m, m, m}
	case 0b0111:
		return struct {
			S
			B
			L
			W
		}{m, m, m, m}
	case 0b1000:
		return struct {
			S
			V
		}{m, m}
	case 0b1001:
		return struct {
			S
			V
			W
		}{m, m, m}
	case 0b1010:
		return struct {
			S
			V
			L
		}{m, m, m}
	case 0b1011:
		return struct {
			S
			V
			L
			W
		}{m, m, m, m}
	case 0b1100:
		return struct {
			S
			V
			B
		}{m, m, m}
	case 0b1101:
		return struct {
			S
			V
			B
			W
		}{m, m, m, m}
	case 0b1110:
		return struct {
			S
			V
			B
			L
		}{m, m, m, m}
	default:
		return m
	}
}

// interfacesOf returns the mask of the optional interfaces st has.
func interfacesOf(st oauthreg.Store) int {
	mask := 0
	if _, ok := st.(oauthreg.VersionedDeleter); ok {
		mask |= 8
	}
	if _, ok := st.(oauthreg.BatchCreator); ok {
		mask |= 4
	}
	if _, ok := st.(oauthreg.SecretLocator); ok {
		mask |= 2
	}
	if _, ok := st.(oauthreg.ClientViewer); ok {
		mask |= 1
	}
	return mask
}

// TestTraceStoreForwardsEachOptionalInterface: for every combination of
// the optional interfaces, the traced store has exactly those of the
// store it wraps, and each forwarded call is traced.
func TestTraceStoreForwardsEachOptionalInterface(t *testing.T) {
	ctx := context.Background()
	for mask := range 16 {
		t.Run(fmt.Sprintf("%04b", mask), func(t *testing.T) {
			m := memstore.New()
			inner := subsetStore(m, mask)
			if got := interfacesOf(inner); got != mask {
				t.Fatalf("test store has %04b", got)
			}
			rec, tp := newTracer()
			st := oauthregotel.TraceStore(inner, tp)
			if got := interfacesOf(st); got != mask {
				t.Fatalf("TraceStore of a store with %04b has %04b", mask, got)
			}
			c := &oauthreg.Client{ID: "c1", Secrets: []oauthreg.Secret{{ID: "s1", Hash: oauthreg.Conceal("$sha256$" + strings.Repeat("A", 43))}}}
			if err := m.CreateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			if w, ok := st.(oauthreg.ClientViewer); ok {
				if v, err := w.ViewClient(ctx, "c1"); err != nil || v.ID() != "c1" {
					t.Errorf("ViewClient = %v, %v", v.ID(), err)
				}
				want["ViewClient"] = true
			}
			if l, ok := st.(oauthreg.SecretLocator); ok {
				if ids, err := l.ClientsWithSecret(ctx, "s1"); err != nil || len(ids) != 1 || ids[0] != "c1" {
					t.Errorf("ClientsWithSecret = %q, %v", ids, err)
				}
				want["ClientsWithSecret"] = true
			}
			if b, ok := st.(oauthreg.BatchCreator); ok {
				if err := b.CreateClients(ctx, []*oauthreg.Client{{ID: "c2"}}); err != nil {
					t.Errorf("CreateClients: %v", err)
				}
				want["CreateClients"] = true
			}
			if v, ok := st.(oauthreg.VersionedDeleter); ok {
				if err := v.DeleteClientAt(ctx, "c1", c.Version); err != nil {
					t.Errorf("DeleteClientAt: %v", err)
				}
				want["DeleteClientAt"] = true
			}
			for name := range want {
				if len(spanAttrs(rec, "oauthreg.store."+name)) != 1 {
					t.Errorf("no %s span", name)
				}
			}
		})
	}
}

// TestTraceStoreAuthenticateViewsClients: Authenticate through a traced
// memstore reads with ViewClient (the copy-free path), not GetClient.
func TestTraceStoreAuthenticateViewsClients(t *testing.T) {
	ctx := context.Background()
	rec, tp := newTracer()
	reg, err := oauthreg.New(oauthregotel.TraceStore(memstore.New(), tp))
	if err != nil {
		t.Fatal(err)
	}
	client, secret, err := reg.Register(ctx, oauthreg.Client{Name: "svc", GrantTypes: []oauthreg.GrantType{oauthreg.GrantClientCredentials}})
	if err != nil {
		t.Fatal(err)
	}
	rec.Reset()
	if _, err := reg.Authenticate(ctx, client.ID, secret.Reveal()); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Authenticate(ctx, "no-such-client", secret.Reveal()); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
		t.Fatalf("Authenticate(unknown) = %v", err)
	}
	if n := len(spanAttrs(rec, "oauthreg.store.ViewClient")); n != 2 {
		t.Errorf("%d ViewClient spans, want 2", n)
	}
	if n := len(spanAttrs(rec, "oauthreg.store.GetClient")); n != 0 {
		t.Errorf("%d GetClient spans: Authenticate lost the copy-free path", n)
	}
	// memstore answers the miss with a decoy (its one client here): the
	// span names the ID asked for, never the decoy's.
	for _, kvs := range spanAttrs(rec, "oauthreg.store.ViewClient") {
		if id, _ := attr(kvs, oauthregotel.AttrClientID); id == "no-such-client" {
			for _, kv := range kvs {
				if strings.Contains(kv.Value.Emit(), client.ID) {
					t.Errorf("the miss's span holds the decoy's ID in %s", kv.Key)
				}
			}
		}
	}
}

// decoyViewer answers a miss as a store may: ErrNotFound together with a
// view of a decoy record.
type decoyViewer struct {
	oauthreg.Store
	decoy oauthreg.ClientView
	err   error
}

func (d decoyViewer) ViewClient(ctx context.Context, id string) (oauthreg.ClientView, error) {
	return d.decoy, d.err
}

// TestTraceStoreViewClientPassesDecoyThrough: the traced ViewClient returns
// the store's view and error exactly as they are, a decoy beside
// ErrNotFound included, and its span holds the requested ID and the error
// class, nothing of the decoy.
func TestTraceStoreViewClientPassesDecoyThrough(t *testing.T) {
	rec, tp := newTracer()
	decoy := oauthreg.ViewOf(oauthreg.NewClientRecord(&oauthreg.Client{ID: "decoy-id-7f3a", Owner: "decoy-owner-7f3a", Name: "decoy-name-7f3a"}))
	notFound := fmt.Errorf("store: %w", oauthreg.ErrNotFound)
	st := oauthregotel.TraceStore(decoyViewer{Store: memstore.New(), decoy: decoy, err: notFound}, tp)
	v, err := st.(oauthreg.ClientViewer).ViewClient(context.Background(), "asked-for")
	if err != notFound {
		t.Errorf("error %v, want the store's own %v", err, notFound)
	}
	if v != decoy {
		t.Errorf("view of %q, want the store's decoy view", v.ID())
	}
	spans := spanAttrs(rec, "oauthreg.store.ViewClient")
	if len(spans) != 1 {
		t.Fatalf("%d ViewClient spans", len(spans))
	}
	if id, _ := attr(spans[0], oauthregotel.AttrClientID); id != "asked-for" {
		t.Errorf("client ID attribute %q, want the requested one", id)
	}
	if class, _ := attr(spans[0], oauthregotel.AttrErrorType); class != "not_found" {
		t.Errorf("error.type %q, want not_found", class)
	}
	for _, s := range rec.Ended() {
		for _, kv := range s.Attributes() {
			if strings.Contains(kv.Value.Emit(), "7f3a") {
				t.Errorf("span attribute %s = %q holds the decoy", kv.Key, kv.Value.Emit())
			}
		}
	}
}
